// Every reference to p5.brush's global `brush` in an acorn AST, as a reader of the code would see it.
// Follows aliases (`const b = brush`), destructuring (`const {hatch} = brush`), constant computed keys
// (`brush["hat" + "ch"]`), optional chaining, `window` / `globalThis` / `self` (and a global `this`),
// and arguments passed to a function declared in the sketch. A key it cannot resolve is reported as
// dynamic. Flow-insensitive on purpose: a name that is ever bound to brush counts as brush.
// Offsets are UTF-16 [start, end), as acorn gives them; the server converts them.
'use strict';

const GLOBAL_NAMES = new Set(['window', 'globalThis', 'self']);
const FUNCTIONS = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);
const BLOCKS = new Set(['BlockStatement', 'ForStatement', 'ForInStatement', 'ForOfStatement',
  'SwitchStatement', 'CatchClause', 'StaticBlock', 'ClassBody']);
const BINDERS = new Set(['VariableDeclarator', 'AssignmentExpression', 'CallExpression', ...FUNCTIONS]);
const USES = new Set(['MemberExpression', 'CallExpression', 'WithStatement']);
const BRUSH = {kind: 'brush'};
const GLOBAL = {kind: 'global'};

function children(node, visit) {
  for (const key in node) {
    if (key === 'type' || key === 'start' || key === 'end') continue;
    const value = node[key];
    if (Array.isArray(value)) {
      for (const item of value) if (item && typeof item.type === 'string') visit(item, node);
    } else if (value && typeof value.type === 'string') {
      visit(value, node);
    }
  }
}

function patternNames(pattern, out = []) {
  if (!pattern) return out;
  if (pattern.type === 'Identifier') out.push(pattern);
  else if (pattern.type === 'ObjectPattern') pattern.properties.forEach((p) => patternNames(p.value || p.argument, out));
  else if (pattern.type === 'ArrayPattern') pattern.elements.forEach((e) => patternNames(e, out));
  else if (pattern.type === 'RestElement') patternNames(pattern.argument, out);
  else if (pattern.type === 'AssignmentPattern') patternNames(pattern.left, out);
  return out;
}

class Scope {
  constructor(parent, isFunction, isTop) {
    this.parent = parent;
    this.isFunction = isFunction;
    this.isTop = isTop;  // `this` here is the global object (program top level, through arrows)
    this.names = new Map();
  }
  declare(name, kind, node) {
    if (!this.names.has(name)) this.names.set(name, {name, kind, node, value: null, implicit: false});
    return this.names.get(name);
  }
  functionScope() {
    let s = this;
    while (!s.isFunction) s = s.parent;
    return s;
  }
}

function analyse(ast) {
  const root = new Scope(null, true, true);
  const scopeOf = new Map();  // node -> scope it sits in
  const parentOf = new Map();
  const binders = [];  // nodes that may bind a name (pass 2)
  const uses = [];  // nodes that may reach brush or print (pass 3)

  // Pass 1: scopes and declarations.
  (function declare(node, parent, scope) {
    parentOf.set(node, parent);
    scopeOf.set(node, scope);
    if (BINDERS.has(node.type)) binders.push(node);
    if (USES.has(node.type)) uses.push(node);
    let inner = scope;
    if (FUNCTIONS.has(node.type)) {
      if (node.type === 'FunctionDeclaration' && node.id) scope.declare(node.id.name, 'function', node);
      // Sloppy-mode scripts: p5 calls setup()/draw() plainly, so `this` there is the global object too.
      const plain = node.type === 'ArrowFunctionExpression' || node.type === 'FunctionDeclaration';
      inner = new Scope(scope, true, plain && scope.isTop);
      if (node.type === 'FunctionExpression' && node.id) inner.declare(node.id.name, 'function', node);
      for (const param of node.params) for (const id of patternNames(param)) inner.declare(id.name, 'param', node);
    } else if (BLOCKS.has(node.type)) {
      inner = new Scope(scope, false, scope.isTop && node.type !== 'ClassBody');
      if (node.type === 'CatchClause') for (const id of patternNames(node.param)) inner.declare(id.name, 'let', node);
    } else if (node.type === 'VariableDeclaration') {
      const target = node.kind === 'var' ? scope.functionScope() : scope;
      for (const d of node.declarations) for (const id of patternNames(d.id)) target.declare(id.name, node.kind, d);
    } else if (node.type === 'ClassDeclaration' && node.id) {
      scope.declare(node.id.name, 'class', node);
    }
    children(node, (child, p) => declare(child, p, inner));
  })(ast, null, root);

  function lookup(name, scope) {
    for (let s = scope; s; s = s.parent) if (s.names.has(name)) return s.names.get(name);
    const implicit = root.declare(name, 'implicit', null);  // an undeclared global (or a typo)
    implicit.implicit = true;
    return implicit;
  }

  function keyOf(member) {
    if (!member.computed) return member.property.type === 'Identifier' ? member.property.name : null;
    const v = evaluate(member.property);
    return v && v.kind === 'string' ? v.value : null;
  }

  function evaluate(node) {
    if (!node) return null;
    switch (node.type) {
      case 'Identifier': {
        const b = lookup(node.name, scopeOf.get(node));
        if (b.value) return b.value;
        // A parameter called brush is the brush passed along (`function petal(brush) {...}`).
        if ((b.implicit || b.kind === 'param') && node.name === 'brush') return BRUSH;
        if (b.implicit && GLOBAL_NAMES.has(node.name)) return GLOBAL;
        return null;
      }
      case 'ThisExpression': return scopeOf.get(node).isTop ? GLOBAL : null;
      case 'Literal':
        return typeof node.value === 'string' || typeof node.value === 'number'
          ? {kind: 'string', value: String(node.value)} : null;
      case 'TemplateLiteral':
        return node.expressions.length === 0 ? {kind: 'string', value: node.quasis[0].value.cooked} : null;
      case 'BinaryExpression': {
        if (node.operator !== '+') return null;
        const a = evaluate(node.left), b = evaluate(node.right);
        return a && b && a.kind === 'string' && b.kind === 'string' ? {kind: 'string', value: a.value + b.value} : null;
      }
      case 'MemberExpression': {
        const obj = evaluate(node.object);
        if (!obj || (obj.kind !== 'global' && obj.kind !== 'brush')) return null;
        const key = keyOf(node);
        if (obj.kind === 'global') return key === 'brush' ? BRUSH : GLOBAL_NAMES.has(key) ? GLOBAL : null;
        return key === null ? null : {kind: 'method', name: key};
      }
      case 'ChainExpression': return evaluate(node.expression);
      case 'SequenceExpression': return evaluate(node.expressions[node.expressions.length - 1]);
      case 'LogicalExpression': return evaluate(node.left) || evaluate(node.right);
      case 'ConditionalExpression': return evaluate(node.consequent) || evaluate(node.alternate);
      case 'AssignmentExpression': return node.operator === '=' ? evaluate(node.right) : null;
      default: return null;
    }
  }

  // Pass 2: what each name holds, until nothing changes (a chain of aliases may run backwards).
  const found = {refs: [], dynamic: [], prints: []};
  function bind(pattern, value, report) {
    if (!pattern) return false;
    let changed = false;
    if (pattern.type === 'Identifier') {
      const b = lookup(pattern.name, scopeOf.get(pattern));
      const keep = value && (value.kind !== 'string' || b.kind === 'const');
      if (keep && !b.value && !report) { b.value = value; changed = true; }
    } else if (pattern.type === 'AssignmentPattern') {
      changed = bind(pattern.left, value || evaluate(pattern.right), report);
    } else if (pattern.type === 'ObjectPattern') {
      for (const p of pattern.properties) {
        if (p.type === 'RestElement') { changed = bind(p.argument, value, report) || changed; continue; }
        const key = p.computed ? (evaluate(p.key) || {}).value ?? null
          : p.key.type === 'Identifier' ? p.key.name : String(p.key.value);
        let sub = null;
        if (value && value.kind === 'brush') {
          if (key === null) {
            if (report) found.dynamic.push({start: p.key.start, end: p.key.end, what: 'brush'});
          } else {
            sub = {kind: 'method', name: key};
            if (report) found.refs.push({name: key, start: p.key.start, end: p.key.end, called: false, via: 'destructured'});
          }
        } else if (value && value.kind === 'global') {
          sub = key === 'brush' ? BRUSH : GLOBAL_NAMES.has(key) ? GLOBAL : null;
        }
        changed = bind(p.value, sub, report) || changed;
      }
    }
    return changed;
  }

  function bindings(report) {
    let changed = false;
    for (const node of binders) {
      if (node.type === 'VariableDeclarator' && node.init) changed = bind(node.id, evaluate(node.init), report) || changed;
      else if (node.type === 'AssignmentExpression' && node.operator === '=') changed = bind(node.left, evaluate(node.right), report) || changed;
      else if (FUNCTIONS.has(node.type)) for (const p of node.params) changed = bind(p, null, report) || changed;
      else if (node.type === 'CallExpression' && node.callee.type === 'Identifier') {
        const fn = lookup(node.callee.name, scopeOf.get(node.callee));
        const decl = fn.kind === 'function' ? fn.node : fn.node && fn.node.init;
        if (decl && FUNCTIONS.has(decl.type)) {
          decl.params.forEach((p, i) => { changed = bind(p, evaluate(node.arguments[i]), report) || changed; });
        }
      }
    }
    return changed;
  }
  for (let round = 0; round < 20 && bindings(false); round++) { /* until stable */ }
  bindings(true);  // destructuring reports

  // Pass 3: references, dynamic keys, print().
  const unwrap = (n) => { let p = parentOf.get(n); while (p && p.type === 'ChainExpression') p = parentOf.get(p); return p; };
  const isCallee = (n) => { const p = unwrap(n); return !!p && p.type === 'CallExpression' && (p.callee === n || p.callee.expression === n); };
  for (const node of uses) {
    if (node.type === 'MemberExpression') {
      const obj = evaluate(node.object);
      if (!obj || (obj.kind !== 'brush' && !(obj.kind === 'global' && node.computed))) {
        if (obj && obj.kind === 'method' && node.object.type === 'Identifier' && !node.computed && /^(call|apply)$/.test(node.property.name) && isCallee(node)) {
          found.refs.push({name: obj.name, start: node.object.start, end: node.object.end, called: true, via: 'alias'});
        }
        continue;
      }
      const key = keyOf(node);
      if (key === null) {
        found.dynamic.push({start: node.start, end: node.end, what: obj.kind});
      } else if (obj.kind === 'brush') {
        const via = node.computed ? 'computed'
          : node.object.type === 'Identifier' && node.object.name === 'brush' ? 'brush'
            : node.object.type === 'MemberExpression' || node.object.type === 'ThisExpression' ? 'global' : 'alias';
        const parent = unwrap(node);
        const viaCall = parent && parent.type === 'MemberExpression' && !parent.computed
          && /^(call|apply)$/.test(parent.property.name) && isCallee(parent);
        found.refs.push({name: key, start: node.start, end: node.end, called: isCallee(node) || viaCall, via,
          nameStart: node.property.start});
      }
    } else if (node.type === 'CallExpression') {
      const callee = node.callee.type === 'ChainExpression' ? node.callee.expression : node.callee;
      if (callee.type === 'Identifier') {
        const value = evaluate(callee);
        if (value && value.kind === 'method') {
          found.refs.push({name: value.name, start: callee.start, end: callee.end, called: true, via: 'alias'});
        } else if (callee.name === 'print' && lookup('print', scopeOf.get(callee)).implicit && node.arguments.length === 0) {
          found.prints.push({start: callee.start, end: node.end, window: false});
        }
      } else if (callee.type === 'MemberExpression' && keyOf(callee) === 'print') {
        const obj = evaluate(callee.object);
        if (obj && obj.kind === 'global') found.prints.push({start: callee.start, end: node.end, window: true});
      }
    } else if (node.type === 'WithStatement') {
      const obj = evaluate(node.object);
      if (obj && (obj.kind === 'brush' || obj.kind === 'global')) {
        found.dynamic.push({start: node.start, end: node.object.end + 1, what: `with-${obj.kind}`});
      }
    }
  }
  for (const [name, list] of Object.entries(found)) {  // a function called twice reports its pattern once
    const seen = new Set();
    found[name] = list.filter((r) => !seen.has(r.start) && seen.add(r.start)).sort((a, b) => a.start - b.start);
  }
  return found;
}

module.exports = {analyse};
