"""Static token vectors from the encoder (Model2Vec's recipe without its
training step): every vocabulary token alone, [CLS] token [SEP], through the
model and mean-pooled. Writes token-vectors.npy beside this file (47 MB, not
committed). About 13 minutes on two busy cores."""
import os, time
import numpy as np
from encoder import W, forward

vocab = W['embeddings.word_embeddings.weight'].shape[0]
started = time.time()
out = np.zeros((vocab, 384), np.float32)
for s in range(0, vocab, 1024):
    ids = np.arange(s, min(vocab, s + 1024))
    out[s:s + len(ids)] = forward(np.stack([np.full_like(ids, 101), ids, np.full_like(ids, 102)], 1))
np.save(os.path.join(os.path.dirname(__file__), 'token-vectors.npy'), out)
print(f'{vocab} tokens in {time.time() - started:.0f} s')
