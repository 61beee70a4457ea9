#!/usr/bin/env bash
# s3rver, a real S3-protocol server (files on disk), for the artifact-store tests. Two one-line fixes make it
# speak S3 as the Minio SDK expects (see ENVIRONMENT.md): the S3 XML namespace in its responses, and
# decodeURIComponent for x-amz-copy-source. Idempotent: fast when installed and patched.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
dir="$root/tests/.tools/s3rver"
version=3.7.1
pkg="$dir/node_modules/s3rver"
wrong_ns='http://doc.s3.amazonaws.com/2006-03-01/'
right_ns='http://s3.amazonaws.com/doc/2006-03-01/'

if ! { [ -f "$pkg/package.json" ] && grep -q "\"version\": \"$version\"" "$pkg/package.json"; }; then
  command -v npm >/dev/null || { echo "npm is required for the artifact-store tests (s3rver)"; exit 1; }
  mkdir -p "$dir"
  [ -f "$dir/package.json" ] || echo '{"name":"lineage-s3rver","private":true}' > "$dir/package.json"
  (cd "$dir" && npm install --no-audit --no-fund --silent "s3rver@$version" >/dev/null)
fi

# Fix 1: the XML namespace, in every controller that writes it.
{ grep -rl --fixed-strings "$wrong_ns" "$pkg/lib" || true; } | while read -r file; do
  sed -i "s#http://doc\.s3\.amazonaws\.com/2006-03-01/#$right_ns#g" "$file"
done
if grep -rq --fixed-strings "$wrong_ns" "$pkg/lib"; then echo "s3rver: XML namespace fix did not apply"; exit 1; fi
grep -rq --fixed-strings "$right_ns" "$pkg/lib/controllers" || { echo "s3rver: S3 XML namespace not found after the fix"; exit 1; }

# Fix 2: CopyObject's source header is URI-component encoded.
object="$pkg/lib/controllers/object.js"
sed -i 's/decodeURI(\(ctx\.headers\[.x-amz-copy-source.\]\)/decodeURIComponent(\1/' "$object"
if grep -q "decodeURI(ctx.headers\['x-amz-copy-source'\]" "$object" || ! grep -q "decodeURIComponent(ctx.headers\['x-amz-copy-source'\]" "$object"; then
  echo "s3rver: x-amz-copy-source fix did not apply"; grep -n "x-amz-copy-source" "$object"; exit 1
fi
