"""Top-1 / top-3 of the bot's matcher, of a sentence model alone, and of the
two added (matcher score + w × cosine), on the bundled evaluation set.

  cargo run --release -p kefu-bot --example scores -- en [KB.json LIST.tsv] > scores-en.tsv
  python measure.py scores-en.tsv en full|static|layers=N [--hold SPLIT]... [--kb KB.json --list LIST.tsv]

`full`: the encoder of encoder.py; `layers=N`: its first N layers only;
`static`: the token vectors of distill.py, weighted against frequency
(a / (a + 1/rank), a = 0.01, BERT's word ids standing for frequency ranks) and
without their common direction. The cosine of an entry is its best phrasing's
(stored question or similar phrasing). Ranked: the matcher's entries
(thresholds off, at most 20) and every entry of the language. Held-out splits
(--hold) are left out entirely."""
import json, os, sys, collections
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, '..', '..', 'data')
scores_file, lang, kind = sys.argv[1:4]
hold = {sys.argv[i + 1] for i, a in enumerate(sys.argv) if a == '--hold'}
option = lambda name, default: next((sys.argv[i + 1] for i, a in enumerate(sys.argv) if a == name), default)
kb_file = option('--kb', os.path.join(DATA, 'sample-kb.json'))
list_file = option('--list', os.path.join(DATA, 'eval', 'sample-kb.tsv'))

kb = json.load(open(kb_file, encoding='utf-8'))
entries = [e for e in kb['entries'] if e['id'].endswith('-' + lang)]
phrasings = [(i, q) for i, e in enumerate(entries) for q in [e['question']] + list(e.get('similar') or [])]
cases = []
for line in open(list_file, encoding='utf-8'):
    if line.startswith('#') or not line.strip():
        continue
    expect, question, group, split = line.rstrip('\n').split('\t')
    if group == lang and split not in hold and expect != '-':
        cases.append((expect, question, split))
lexical = {}
for line in open(scores_file, encoding='utf-8'):
    question, _, rest = line.rstrip('\n').partition('\t')
    lexical[question] = {k: float(v) for k, v in (x.split('=') for x in rest.split())}

if kind == 'static':
    from encoder import TOKENIZER
    vectors = np.load(os.path.join(HERE, 'token-vectors.npy'))
    vectors = vectors - vectors.mean(0)
    common = np.linalg.svd(vectors[1000:], full_matrices=False)[2][0]
    vectors -= np.outer(vectors @ common, common)
    rank = np.maximum(np.arange(len(vectors)) - 1990, 1).astype(np.float32)
    weight = 0.01 / (0.01 + 1.0 / rank)

    def embed(text):
        ids = TOKENIZER.encode(text).ids[1:-1]
        v = (vectors[ids] * weight[ids, None]).sum(0)
        return v / (np.linalg.norm(v) + 1e-9)
else:
    import encoder
    layers = int(kind.split('=')[1]) if kind.startswith('layers=') else encoder.LAYERS

    def embed(text):
        return encoder.embed(text, layers)

P = np.array([embed(q) for _, q in phrasings])
Q = np.array([embed(q) for _, q, _ in cases])
owner = np.array([i for i, _ in phrasings])
cosine = np.full((len(cases), len(entries)), -1.0)
for j, o in enumerate(owner):
    cosine[:, o] = np.maximum(cosine[:, o], Q @ P[j])

print(f'{len(cases)} on-topic {lang} questions, {kind}; held out: {", ".join(sorted(hold)) or "none"}')
columns = list(dict.fromkeys(s for _, _, s in cases)) + ['all']
print('| top-1 / top-3 | ' + ' | '.join(columns) + ' |')
print('|---|' + '---:|' * len(columns))
for w in [None, 0, 0.25, 0.5, 1.0, 2.0]:
    rows = collections.defaultdict(lambda: [0, 0, 0])
    for n, (expect, question, split) in enumerate(cases):
        lex = lexical[question]
        if w is None:  # the sentence model alone
            score = {e['id']: cosine[n, i] for i, e in enumerate(entries)}
        else:
            score = dict(lex)
            for i, e in enumerate(entries):
                score[e['id']] = lex.get(e['id'], 0.0) + w * cosine[n, i]
        top = sorted(score, key=lambda k: -score[k])[:3]
        for key in (split, 'all'):
            r = rows[key]
            r[0] += 1
            r[1] += bool(top) and top[0] == expect
            r[2] += expect in top
    name = 'model alone' if w is None else f'matcher + {w} × cosine'
    print(f'| {name} | ' + ' | '.join(f'{rows[c][1] / rows[c][0]:.3f} / {rows[c][2] / rows[c][0]:.3f}' for c in columns) + ' |')
