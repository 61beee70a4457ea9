// Encodes texts with Hugging Face's JavaScript tokenizers from a model directory's tokenizer.json and
// tokenizer_config.json. Usage: node encode.mjs MODULES_DIR MODEL_DIR < texts.json (a JSON array of strings);
// prints a JSON array of id arrays.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const [modulesDir, modelDir] = process.argv.slice(2);
const require = createRequire(join(modulesDir, "package.json"));
const { Tokenizer } = require("@huggingface/tokenizers");
const tokenizer = new Tokenizer(
  JSON.parse(readFileSync(join(modelDir, "tokenizer.json"), "utf8")),
  JSON.parse(readFileSync(join(modelDir, "tokenizer_config.json"), "utf8")));
const texts = JSON.parse(readFileSync(0, "utf8"));
const ids = texts.map((text) => tokenizer.encode(text, { add_special_tokens: false }).ids);
process.stdout.write(JSON.stringify(ids));
