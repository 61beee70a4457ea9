#!/usr/bin/env bash
# Hugging Face's own JavaScript tokenizers (@huggingface/tokenizers), used by the trainer tests as an independent
# reference: tokenizer.json files written by Lineage must load there and give the same ids. Idempotent and fast when done.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
dir="$root/tests/.tools/tokenizers-js"
version=0.2.0
if [ -f "$dir/node_modules/@huggingface/tokenizers/package.json" ] \
   && grep -q "\"version\": \"$version\"" "$dir/node_modules/@huggingface/tokenizers/package.json"; then
  exit 0
fi
command -v npm >/dev/null || { echo "npm is required for the tokenizer interop tests"; exit 1; }
mkdir -p "$dir"
cd "$dir"
[ -f package.json ] || echo '{"name":"lineage-tokenizers-js","private":true}' > package.json
npm install --no-audit --no-fund --silent "@huggingface/tokenizers@$version" >/dev/null
