// Every reference to p5.brush's global `brush` in an acorn AST, as a reader of the code would see it,
// and every place the reader loses track of it (blind_spots.js). Follows aliases (`const b = brush`),
// destructuring (`const {hatch} = brush`), constant computed keys (`brush["hat" + "ch"]`), optional
// chaining, the window under its names (`window`, `globalThis`, `self`, a global `this`,
// `document.defaultView`, ...) and arguments passed to functions declared in the sketch. A parameter
// or local named `brush` is brush only if brush is what reaches it. Flow-insensitive on purpose: a
// name that is ever bound to brush counts as brush.
// Offsets are UTF-16 [start, end), as acorn gives them; the server converts them.
'use strict';

const {buildScopes, patternNames, FUNCTIONS} = require('./js_scope.js');
const {blindSpots} = require('./blind_spots.js');

const BRUSH = {kind: 'brush'};
const GLOBAL = {kind: 'global'};  // the window (global object)
const PLAIN_THIS = {kind: 'global', unsure: true};  // `this` of a plain function: the window, or a `new` object
const DOCUMENT = {kind: 'document'};
const MAYBE = {kind: 'maybe'};  // `x.brush` of an object the checker knows nothing about: the window's?
const OBJECT = {kind: 'object'};  // made by the sketch (a literal, `new`, a class): not the window
const TEXT = {kind: 'text'};  // a string built at run time
const HOST = {kind: 'host'};  // an undeclared global the sketch never set: p5's or the browser's, not the window
// Globals that name the window (in a top-level page `parent` and `top` are the window itself).
const WINDOW_NAMES = new Set(['window', 'globalThis', 'self', 'frames', 'parent', 'top']);
// Properties that hold a window whatever object they are read from.
const WINDOW_KEYS = new Set(['window', 'globalThis', 'defaultView', 'contentWindow', 'opener']);
const DOCUMENT_KEYS = new Set(['document', 'ownerDocument', 'contentDocument']);
// Globals that turn strings into code or reach properties by computed names.
const RUNNERS = new Set(['eval', 'Function', 'setTimeout', 'setInterval', 'setImmediate', 'execScript', 'Reflect']);
// Values the reader tracks: the more telling one wins when a name is bound to several.
const RANK = {brush: 6, global: 6, runner: 6, maybe: 5, document: 4, method: 3, fn: 2, class: 2, string: 1, text: 1,
  object: 0, host: 0};

function specialGlobal(name) {
  if (name === 'brush') return BRUSH;
  if (WINDOW_NAMES.has(name)) return GLOBAL;
  if (name === 'document') return DOCUMENT;
  if (RUNNERS.has(name)) return {kind: 'runner', name};
  return null;
}

function analyse(ast) {
  const sc = buildScopes(ast);
  const {root, scopeOf, parentOf, fieldOf, nodes, lookup, bindingOf} = sc;
  const found = {refs: [], blind: [], prints: [], shadows: []};
  const blind = (node, why, {end = node.end, brush = false} = {}) => found.blind.push({start: node.start, end, why, brush});

  // A global the sketch redeclares at the top with `var` or `function` is still the global (the same
  // property of the window); a `let`, `const`, class, parameter or inner declaration shadows it.
  for (const b of root.names.values()) if (b.kind === 'var' || b.kind === 'function') b.special = specialGlobal(b.name);

  function keyOf(member) {
    if (!member.computed) {
      if (member.property.type === 'PrivateIdentifier') return `#${member.property.name}`;
      return member.property.type === 'Identifier' ? member.property.name : null;
    }
    const v = evaluate(member.property);
    return v && v.kind === 'string' ? v.value : null;
  }

  function nameValue(id) {
    const b = bindingOf(id);
    if (b.implicit) return b.value || specialGlobal(id.name) || HOST;
    if (b.special) return b.special;
    if (b.value && (b.value.kind !== 'object' || !b.mixed)) return b.value;
    return null;
  }

  // What `this` is: the window at the top, and in any plain function (a sloppy-mode call); the
  // instance in a class. An object's method may be called plainly too, so it counts as a plain function.
  function thisValue(node) {
    for (let n = node, p = parentOf.get(n); p; n = p, p = parentOf.get(p)) {
      if (p.type === 'PropertyDefinition' || p.type === 'StaticBlock') return OBJECT;
      if (p.type === 'FunctionExpression' || p.type === 'FunctionDeclaration') {
        const owner = parentOf.get(p);
        return owner && owner.type === 'MethodDefinition' ? OBJECT : PLAIN_THIS;
      }
    }
    return GLOBAL;
  }

  function memberValue(node) {
    const obj = evaluate(node.object);
    const key = keyOf(node);
    const kind = obj ? obj.kind : null;
    if (key === null || kind === 'string' || kind === 'text' || kind === 'method' || kind === 'runner' || kind === 'class') return null;
    if (kind === 'brush') return {kind: 'method', name: key};
    if (kind === 'global') {
      const own = specialGlobal(key);
      if (own) return own;
      const b = root.names.get(key);  // a top-level var, function or implicit global is a window property
      return b && b.value && (b.kind === 'var' || b.kind === 'function' || b.implicit) ? b.value : null;
    }
    if (WINDOW_KEYS.has(key)) return GLOBAL;
    if (DOCUMENT_KEYS.has(key)) return DOCUMENT;
    if (RUNNERS.has(key)) return {kind: 'runner', name: key};
    if (key === 'brush' && (kind === null || kind === 'maybe')) return MAYBE;
    return null;
  }

  // One of two values (a || b, c ? a : b): the more telling; two different strings are no constant.
  const pick = (a, b) => {
    const best = !a ? b : !b ? a : RANK[b.kind] > RANK[a.kind] ? b : a;
    const same = a && b && a.kind === 'string' && b.kind === 'string' && a.value === b.value;
    return best && best.kind === 'string' && !same ? TEXT : best;
  };
  const STRING_MAKERS = /^(fromCharCode|fromCodePoint|atob|btoa|unescape|escape|decodeURI|decodeURIComponent|String|join|concat|repeat|padStart|padEnd|replace|replaceAll|toLowerCase|toUpperCase|trim|substring|substr|slice|charAt|toString|raw|reverse)$/;

  // Once the bindings are settled a node's value no longer changes: remember it.
  let frozen = false;
  function evaluate(node) {
    if (!frozen || !node) return evaluateNode(node);
    if (node.$value === undefined) node.$value = evaluateNode(node);
    return node.$value;
  }

  function evaluateNode(node) {
    if (!node) return null;
    switch (node.type) {
      case 'Identifier': return nameValue(node);
      case 'ThisExpression': return thisValue(node);
      case 'Literal':
        return typeof node.value === 'string' || typeof node.value === 'number'
          ? {kind: 'string', value: String(node.value)} : null;
      case 'TemplateLiteral': {
        let value = node.quasis[0].value.cooked;
        for (let i = 0; i < node.expressions.length; i++) {
          const part = evaluate(node.expressions[i]);
          if (!part || part.kind !== 'string' || value === undefined) return TEXT;
          value += part.value + node.quasis[i + 1].value.cooked;
        }
        return value === undefined ? TEXT : {kind: 'string', value};
      }
      case 'BinaryExpression': {
        if (node.operator !== '+') return null;
        const a = evaluate(node.left), b = evaluate(node.right);
        if (a && b && a.kind === 'string' && b.kind === 'string') return {kind: 'string', value: a.value + b.value};
        return (a && (a.kind === 'string' || a.kind === 'text')) || (b && (b.kind === 'string' || b.kind === 'text')) ? TEXT : null;
      }
      case 'CallExpression': {
        const callee = node.callee.type === 'MemberExpression' ? node.callee.property : node.callee;
        return callee.type === 'Identifier' && STRING_MAKERS.test(callee.name) ? TEXT : null;
      }
      case 'MemberExpression': return memberValue(node);
      case 'ChainExpression': return evaluate(node.expression);
      case 'AwaitExpression': return evaluate(node.argument);
      case 'SequenceExpression': return evaluate(node.expressions[node.expressions.length - 1]);
      case 'LogicalExpression': return pick(evaluate(node.left), evaluate(node.right));
      case 'ConditionalExpression': return pick(evaluate(node.consequent), evaluate(node.alternate));
      case 'AssignmentExpression':
        if (node.operator === '=') return evaluate(node.right);
        return /^(\|\||&&|\?\?)=$/.test(node.operator) ? pick(evaluate(node.left), evaluate(node.right)) : null;
      case 'ClassExpression': return classValue(node);
      case 'ObjectExpression': case 'ArrayExpression': case 'NewExpression': return OBJECT;
      case 'FunctionExpression': case 'ArrowFunctionExpression': return {kind: 'fn', node};
      default: return null;
    }
  }

  // Pass 2: what each name holds, until nothing changes (a chain of aliases may run backwards).
  // A class: `new C(...)` reaches its constructor, which is followed like a function.
  function classValue(node) {
    const ctor = node.body.body.find((m) => m.type === 'MethodDefinition' && m.kind === 'constructor');
    return {kind: 'class', node: ctor ? ctor.value : null};
  }
  for (const node of nodes) {
    if (node.type === 'FunctionDeclaration' && node.id) lookup(node.id.name, scopeOf.get(node)).value = {kind: 'fn', node};
    if (node.type === 'ClassDeclaration' && node.id) lookup(node.id.name, scopeOf.get(node)).value = classValue(node);
  }

  function bind(pattern, value, report) {
    if (!pattern) return false;
    let changed = false;
    if (pattern.type === 'Identifier') {
      const b = bindingOf(pattern);
      const special = b.special || (b.implicit && specialGlobal(b.name));
      if (special) {  // writing a global such as brush or window replaces what every later use reaches
        if (report && !(value && value.kind === special.kind)) blind(pattern, `it replaces the global \`${b.name}\`, so later uses may not reach ${special === BRUSH ? 'p5.brush' : 'what they seem to'}`);
        return false;
      }
      if (!value) { if (!b.mixed && !report) { b.mixed = true; changed = true; } return changed; }
      if (value.kind === 'string' && b.kind !== 'const') value = TEXT;  // a `let` may change
      if (value.kind === 'string' || value.kind === 'text') b.strings = true;  // a timer given it runs code
      if (!report && (!b.value || RANK[value.kind] > RANK[b.value.kind])) { b.value = value; changed = true; }
    } else if (pattern.type === 'AssignmentPattern') {
      changed = bind(pattern.left, pick(value, evaluate(pattern.right)), report);
    } else if (pattern.type === 'ObjectPattern') {
      for (const p of pattern.properties) {
        if (p.type === 'RestElement') { changed = bind(p.argument, value, report) || changed; continue; }
        const key = p.computed ? ((v) => (v && v.kind === 'string' ? v.value : null))(evaluate(p.key))
          : p.key.type === 'Identifier' ? p.key.name : String(p.key.value);
        let sub = null;
        if (value && value.kind === 'brush') {
          if (key === null) {
            if (report) blind(p.key, 'a key computed at run time takes an unknown brush method', {brush: true});
          } else {
            sub = {kind: 'method', name: key};
            if (report) found.refs.push({name: key, start: p.key.start, end: p.key.end, called: false, via: 'destructured'});
          }
        } else if (value && value.kind === 'global') {
          if (key === null && report) blind(p.key, 'a key computed at run time takes an unknown global, maybe brush');
          sub = key === null ? null : specialGlobal(key);
        } else if (value && value.kind === 'maybe') {
          if (report) blind(p.key, 'destructures an object that may be p5.brush');
        } else if (key !== null) {
          sub = WINDOW_KEYS.has(key) ? GLOBAL : DOCUMENT_KEYS.has(key) ? DOCUMENT : RUNNERS.has(key) ? {kind: 'runner', name: key}
            : key === 'brush' && (!value || value.kind === 'host') ? MAYBE : null;
        }
        changed = bind(p.value, sub, report) || changed;
      }
    } else if (pattern.type === 'ArrayPattern') {
      for (const e of pattern.elements) changed = bind(e, null, report) || changed;
    } else if (pattern.type === 'RestElement') {
      changed = bind(pattern.argument, null, report);
    }
    return changed;
  }

  // The function a call reaches, when the sketch declares it and the checker can follow it there.
  function calledFunction(call) {
    if (call.type !== 'CallExpression' && call.type !== 'NewExpression') return null;
    const callee = call.callee.type === 'ChainExpression' ? call.callee.expression : call.callee;
    const v = evaluate(callee);
    if (v && v.kind === 'class' && call.type === 'NewExpression') return v.node;
    return v && v.kind === 'fn' && FUNCTIONS.has(v.node.type) ? v.node : null;
  }

  const BINDERS = new Set(['VariableDeclarator', 'AssignmentExpression', 'ForInStatement', 'ForOfStatement',
    'CallExpression', 'NewExpression', ...FUNCTIONS]);
  const binders = nodes.filter((n) => BINDERS.has(n.type));
  function bindings(report) {
    let changed = false;
    for (const node of binders) {
      if (node.type === 'VariableDeclarator') {
        if (node.init) changed = bind(node.id, evaluate(node.init), report) || changed;
      } else if (node.type === 'AssignmentExpression') {
        if (node.left.type !== 'MemberExpression') changed = bind(node.left, evaluate(node), report) || changed;
        else if (node.operator === '=') changed = bindWindowProperty(node.left, evaluate(node.right), report) || changed;
      } else if (node.type === 'ForInStatement' || node.type === 'ForOfStatement') {
        for (const target of node.left.type === 'VariableDeclaration' ? node.left.declarations.map((d) => d.id) : [node.left]) {
          changed = bind(target, null, report) || changed;
        }
      } else if (FUNCTIONS.has(node.type)) {
        for (const p of node.params) if (p.type === 'AssignmentPattern') changed = bind(p, null, report) || changed;
      } else if (node.type === 'CallExpression' || node.type === 'NewExpression') {
        const fn = calledFunction(node);
        if (!fn) continue;
        const spread = node.arguments.findIndex((a) => a.type === 'SpreadElement');
        fn.params.forEach((p, i) => {
          const arg = spread >= 0 && i >= spread ? null : evaluate(node.arguments[i]);
          changed = bind(p.type === 'RestElement' ? p.argument : p, p.type === 'RestElement' ? null : arg, report) || changed;
        });
      }
    }
    return changed;
  }

  // `window.b = brush` (or `this.b = ...` at the top) makes a global `b`: follow it as one.
  function bindWindowProperty(member, value, report) {
    const obj = evaluate(member.object);
    const key = keyOf(member);
    if (!obj || obj.kind !== 'global' || obj.unsure || key === null || report) return false;
    const b = lookup(key, root);
    if (value && !specialGlobal(key) && (!b.value || RANK[value.kind] > RANK[b.value.kind])) { b.value = value; return true; }
    return false;
  }

  for (let round = 0; round < 30 && bindings(false); round++) { /* until stable */ }
  frozen = true;
  bindings(true);  // destructuring references, replaced globals

  // Pass 3: references, print(), shadowed names.
  const unwrap = (n) => { let p = parentOf.get(n); while (p && p.type === 'ChainExpression') p = parentOf.get(p); return p; };
  const isCallee = (n) => { const p = unwrap(n); return !!p && p.type === 'CallExpression' && (p.callee === n || p.callee.expression === n); };
  for (const node of nodes) {
    if (node.type === 'MemberExpression') {
      const obj = evaluate(node.object);
      if (obj && obj.kind === 'method' && !node.computed && /^(call|apply)$/.test(node.property.name) && isCallee(node)
          && node.object.type === 'Identifier') {
        found.refs.push({name: obj.name, start: node.object.start, end: node.object.end, called: true, via: 'alias'});
      }
      if (!obj || obj.kind !== 'brush') continue;
      const key = keyOf(node);
      if (key === null) continue;  // blind_spots reports it
      const via = node.computed ? 'computed'
        : node.object.type === 'Identifier' && node.object.name === 'brush' ? 'brush'
          : node.object.type === 'MemberExpression' || node.object.type === 'ThisExpression' ? 'global' : 'alias';
      const parent = unwrap(node);
      const viaCall = parent && parent.type === 'MemberExpression' && !parent.computed
        && /^(call|apply)$/.test(parent.property.name) && isCallee(parent);
      found.refs.push({name: key, start: node.start, end: node.end, called: isCallee(node) || viaCall, via,
        nameStart: node.property.start});
    } else if (node.type === 'CallExpression') {
      const callee = node.callee.type === 'ChainExpression' ? node.callee.expression : node.callee;
      if (callee.type === 'Identifier') {
        const value = evaluate(callee);
        if (value && value.kind === 'method') {
          found.refs.push({name: value.name, start: callee.start, end: callee.end, called: true, via: 'alias'});
        } else if (callee.name === 'print' && bindingOf(callee).implicit && node.arguments.length === 0) {
          found.prints.push({start: callee.start, end: node.end, window: false});
        }
      } else if (callee.type === 'MemberExpression' && keyOf(callee) === 'print') {
        const obj = evaluate(callee.object);
        if (obj && obj.kind === 'global') found.prints.push({start: callee.start, end: node.end, window: true});
      }
    } else if (FUNCTIONS.has(node.type) || node.type === 'VariableDeclarator' || node.type === 'CatchClause') {
      const ids = node.type === 'VariableDeclarator' ? patternNames(node.id)
        : node.type === 'CatchClause' ? patternNames(node.param) : node.params.flatMap((p) => patternNames(p));
      for (const id of ids) {
        const b = bindingOf(id);
        if (id.name === 'brush' && !b.special && !(b.value && b.value.kind === 'brush')) found.shadows.push({start: id.start, end: id.end});
      }
    }
  }
  blindSpots({...sc, evaluate, keyOf, calledFunction, specialGlobal, blind});
  for (const [name, list] of Object.entries(found)) {  // a function called twice reports its pattern once
    const seen = new Set();
    found[name] = list.filter((r) => !seen.has(r.start) && seen.add(r.start)).sort((a, b) => a.start - b.start);
  }
  return found;
}

module.exports = {analyse};
