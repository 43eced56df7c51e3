#!/usr/bin/env bash
# Writes the seed corpora of the fuzz targets (core/fuzz/corpus/<target>/, not committed) from the project's own
# vectors and files: the Instant Readout vectors (shared/vectors, or the repository's copy), the saved-system
# fixtures of every format version, the built-in scenarios (both formats), and share links made from those systems.
# Idempotent: seeds are named by their content; libFuzzer adds its own findings next to them.
set -euo pipefail
cd "$(dirname "$0")/.."
VECTORS=${VECTORS:-/work/shared/vectors/instant-readout.json}
[ -f "$VECTORS" ] || VECTORS=core/tests/data/instant-readout.json
OUT=core/fuzz/corpus
python3 - "$VECTORS" "$OUT" <<'PY'
import hashlib, json, os, sys, glob, urllib.parse
vectors, out = sys.argv[1], sys.argv[2]
def put(target, data):
    if isinstance(data, str):
        data = data.encode()
    d = os.path.join(out, target); os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, hashlib.sha1(data).hexdigest()), 'wb') as f:
        f.write(data)
types = [0x00,0x01,0x02,0x03,0x04,0x05,0x06,0x07,0x08,0x09,0x0A,0x0B,0x0C,0x0D,0x0E,0x0F,0xFF01]
n = 0
for v in json.load(open(vectors)):
    rt = int(v.get('record_type') or '0', 16) if v.get('record_type') else None
    key = bytes.fromhex(v['key_hex']) if v.get('key_hex') else None
    if v.get('payload_hex'):
        payload = bytes.fromhex(v['payload_hex'])
        # decode: the 16-byte key first (what the target splits off), and the bare payload.
        put('decode', (key or b'\0' * 16) + payload); put('decode', payload)
    if v.get('decrypted_hex') and rt is not None:
        body = bytes.fromhex(v['decrypted_hex'])
        pick = bytes([types.index(rt)]) if rt in types else b'\xff' + rt.to_bytes(2, 'big')
        put('records', pick + body)
    n += 1
docs = sorted(glob.glob('core/tests/data/documents/*/*.json'))
for p in docs:
    text = open(p).read()
    put('document', text)
    compact = json.dumps(json.loads(text), separators=(',', ':'), ensure_ascii=False)
    put('document', compact)
    put('share_link', urllib.parse.quote(compact, safe="-_.!~*'()"))
for p in sorted(glob.glob('core/scenarios/*.json') + glob.glob('core/tests/data/scenarios/*/*.json')):
    put('scenario', open(p).read())
# The engine target reads structure from raw bytes: a few plain byte patterns to start from.
for i in range(8):
    put('engine', bytes((i * 37 + k * 11) % 256 for k in range(64 + 16 * i)))
print(f"seeds: {n} vectors, {len(docs)} documents ->", ", ".join(
    f"{t} {len(os.listdir(os.path.join(out, t)))}" for t in sorted(os.listdir(out))))
PY
