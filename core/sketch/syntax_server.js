// Answers one JSON line per request on stdin: {"id", "code"} -> {"id", "ok", "message", "line", "column"}.
// Compiles with vm.Script (no execution). Exits when stdin closes, so it never outlives its parent.
'use strict';
const vm = require('vm');
const readline = require('readline');

function locate(err, code) {
  // V8 puts "file:LINE\n<source line>\n   ^^^" at the top of a SyntaxError's stack.
  const lines = String(err.stack || '').split('\n');
  const head = /^sketch\.js:(\d+)$/.exec(lines[0] || '');
  if (!head) return {line: null, column: null};
  const line = Number(head[1]);
  const source = code.split(/\r\n|\r|\n|\u2028|\u2029/)[line - 1] || '';
  const marks = lines[2] || '';
  const caret = marks.indexOf('^');
  // The caret counts UTF-16 units; Python counts code points. No caret: V8 left only the indent.
  const units = caret >= 0 ? caret : Math.min(marks.length, source.length);
  return {line, column: [...source.slice(0, units)].length + 1};
}

const rl = readline.createInterface({input: process.stdin, terminal: false});
rl.on('line', (text) => {
  let req;
  try {
    req = JSON.parse(text);
  } catch (e) {
    process.stdout.write(JSON.stringify({id: null, ok: false, message: 'bad request: ' + e.message}) + '\n');
    return;
  }
  let answer;
  try {
    new vm.Script(String(req.code), {filename: 'sketch.js'});
    answer = {id: req.id, ok: true};
  } catch (e) {
    answer = {id: req.id, ok: false, message: String(e.message), ...locate(e, String(req.code))};
  }
  process.stdout.write(JSON.stringify(answer) + '\n');
});
rl.on('close', () => process.exit(0));
