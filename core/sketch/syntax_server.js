// Answers one JSON line per request on stdin: {"id", "code"} -> {"id", "ok", "message", "offset",
// "parsed", "refs", "blind", "prints", "shadows", "note"}. V8 (vm.Script, compiled, never run) gives the syntax
// verdict, since V8 is what runs the sketch; acorn parses what V8 accepts so brush_refs.js can read it.
// Every offset sent back counts code points from the start of the source, so Python can turn it into
// a line and column with the editor's numbering (lines end at "\n" only; V8 and acorn also end them
// at \r, U+2028 and U+2029). Exits when stdin closes, so it never outlives its parent.
// argv[2]: the node_modules folder that holds acorn.
'use strict';
const vm = require('vm');
const path = require('path');
const readline = require('readline');
const {analyse} = require('./brush_refs.js');

let acorn = null;
let acornMissing = null;
try {
  acorn = require(path.join(process.argv[2] || path.join(__dirname, '..', '..', 'resources', 'node_modules'), 'acorn'));
} catch (e) {
  acornMissing = `acorn not found (${String(e.message).split('\n')[0]}); run \`make setup\``;
}

// UTF-16 offset -> code-point offset: subtract the surrogate pairs that start before it.
function codePoints(code) {
  const pairs = [];
  for (let i = 0; i < code.length - 1; i++) {
    const c = code.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00) {
      const d = code.charCodeAt(i + 1);
      if (d >= 0xdc00 && d < 0xe000) pairs.push(i++);
    }
  }
  return (offset) => {
    let lo = 0, hi = pairs.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (pairs[mid] < offset) lo = mid + 1; else hi = mid; }
    return offset - lo;
  };
}

// V8 puts "file:LINE\n<source line>\n   ^^^" at the top of a SyntaxError's stack; LINE counts V8's
// line terminators. Returns the UTF-16 offset of the caret, or null.
function v8Offset(err, code) {
  const lines = String(err.stack || '').split('\n');
  const head = /^sketch\.js:(\d+)$/.exec(lines[0] || '');
  if (!head) return null;
  const line = Number(head[1]);
  const terminators = /\r\n|\r|\n|\u2028|\u2029/g;
  let start = 0;
  for (let n = 1; n < line; n++) {
    const m = terminators.exec(code);
    if (!m) return code.length;
    start = m.index + m[0].length;
  }
  terminators.lastIndex = start;
  const next = terminators.exec(code);
  const source = code.slice(start, next ? next.index : code.length);
  const marks = lines[2] || '';
  const caret = marks.indexOf('^');
  // No caret: V8 left only the indent (an error at the end of the line).
  return start + (caret >= 0 ? caret : Math.min(marks.length, source.length));
}

function answer(req) {
  const code = String(req.code);
  const cp = codePoints(code);
  try {
    new vm.Script(code, {filename: 'sketch.js'});
  } catch (e) {
    if (e instanceof RangeError) {  // node's stack ran out, not a verdict on the code: the browser's is larger
      return {ok: true, parsed: false, note: `too deeply nested for the checker (${String(e.message).split('\n')[0]})`};
    }
    const offset = v8Offset(e, code);
    return {ok: false, message: String(e.message), offset: offset === null ? null : cp(offset), parsed: false};
  }
  if (!acorn) return {ok: true, parsed: false, note: acornMissing};
  let ast;
  let found;
  try {
    ast = acorn.parse(code, {ecmaVersion: 'latest', sourceType: 'script', allowHashBang: true});
  } catch (e) {  // V8 accepts what acorn does not
    return {ok: true, parsed: false, note: `acorn could not read it: ${String(e.message).split('\n')[0]}`};
  }
  try {
    found = analyse(ast);
  } catch (e) {  // nested too deep for the analysis
    return {ok: true, parsed: false, note: `the analysis could not follow it: ${String(e.message).split('\n')[0]}`};
  }
  const convert = (r) => ({...r, start: cp(r.start), end: cp(r.end),
    ...(r.nameStart === undefined ? {} : {nameStart: cp(r.nameStart)})});
  return {ok: true, parsed: true, refs: found.refs.map(convert), blind: found.blind.map(convert),
    prints: found.prints.map(convert), shadows: found.shadows.map(convert)};
}

const rl = readline.createInterface({input: process.stdin, terminal: false, crlfDelay: Infinity});
rl.on('line', (text) => {
  let reply;
  try {
    const req = JSON.parse(text);
    try {
      reply = {id: req.id, ...answer(req)};
    } catch (e) {
      reply = {id: req.id, ok: true, parsed: false, note: `checker failed: ${String(e.message).split('\n')[0]}`};
    }
  } catch (e) {
    reply = {id: null, ok: false, message: 'bad request: ' + e.message};
  }
  process.stdout.write(JSON.stringify(reply) + '\n');
});
rl.on('close', () => process.exit(0));
