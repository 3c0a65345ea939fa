// Scopes of an acorn AST, as a reader of the code sees them: which declaration each name means, the
// parent of every node and the field it sits in, and whether an identifier is read, written or neither.
// brush_refs.js and blind_spots.js build on it. Written for sketches (classic scripts, sloppy mode).
'use strict';

const FUNCTIONS = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);
const BLOCKS = new Set(['BlockStatement', 'ForStatement', 'ForInStatement', 'ForOfStatement',
  'SwitchStatement', 'CatchClause', 'StaticBlock', 'ClassBody']);
const PATTERNS = new Set(['ObjectPattern', 'ArrayPattern', 'RestElement']);

function children(node, visit) {
  for (const key in node) {
    if (key === 'type' || key === 'start' || key === 'end' || key.charCodeAt(0) === 36) continue;  // $: ours
    const value = node[key];
    if (Array.isArray(value)) {
      for (const item of value) if (item && typeof item.type === 'string') visit(item, node, key);
    } else if (value && typeof value.type === 'string') {
      visit(value, node, key);
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
  constructor(parent, isFunction) {
    this.parent = parent;
    this.isFunction = isFunction;
    this.names = new Map();
  }
  declare(name, kind, node) {
    if (!this.names.has(name)) this.names.set(name, {name, kind, node, scope: this, value: null, implicit: false});
    return this.names.get(name);
  }
  functionScope() {
    let s = this;
    while (!s.isFunction) s = s.parent;
    return s;
  }
}

// One walk: scopes and declarations, parent links, and the functions that read `arguments`.
function buildScopes(ast) {
  const root = new Scope(null, true);
  // Kept on the nodes themselves ($parent, $field, $scope): three Maps cost a third of the analysis.
  const scopeOf = {get: (n) => n.$scope};
  const parentOf = {get: (n) => n.$parent};
  const fieldOf = {get: (n) => n.$field};
  const nodes = [];
  const readsArguments = new Set();  // functions whose parameters `arguments` may reach
  // An explicit stack, not recursion: a sketch nested thousands deep must not overflow the walker.
  // A child's parent, field and scope are recorded when it is pushed.
  const stack = [ast];
  ast.$parent = null;
  ast.$field = null;
  ast.$scope = root;
  while (stack.length) {
    const node = stack.pop();
    const scope = node.$scope;
    nodes.push(node);
    let inner = scope;
    if (FUNCTIONS.has(node.type)) {
      if (node.type === 'FunctionDeclaration' && node.id) scope.declare(node.id.name, 'function', node);
      inner = new Scope(scope, true);
      inner.fn = node;
      if (node.type === 'FunctionExpression' && node.id) inner.declare(node.id.name, 'function', node);
      for (const param of node.params) for (const id of patternNames(param)) inner.declare(id.name, 'param', node);
    } else if (BLOCKS.has(node.type)) {
      inner = new Scope(scope, false);
      if (node.type === 'CatchClause') for (const id of patternNames(node.param)) inner.declare(id.name, 'let', node);
    } else if (node.type === 'VariableDeclaration') {
      const target = node.kind === 'var' ? scope.functionScope() : scope;
      for (const d of node.declarations) for (const id of patternNames(d.id)) target.declare(id.name, node.kind, d);
    } else if (node.type === 'ClassDeclaration' && node.id) {
      scope.declare(node.id.name, 'class', node);
    } else if (node.type === 'Identifier' && node.name === 'arguments') {
      for (let s = scope; s; s = s.parent) if (s.fn && s.fn.type !== 'ArrowFunctionExpression') { readsArguments.add(s.fn); break; }
    }
    const first = stack.length;
    children(node, (child, p, key) => {
      child.$parent = p;
      child.$field = key;
      child.$scope = inner;
      stack.push(child);
    });
    for (let i = first, j = stack.length - 1; i < j; i++, j--) [stack[i], stack[j]] = [stack[j], stack[i]];  // source order
  }

  function lookup(name, scope) {
    for (let s = scope; s; s = s.parent) if (s.names.has(name)) return s.names.get(name);
    const implicit = root.declare(name, 'implicit', null);  // an undeclared global (or a typo)
    implicit.implicit = true;
    return implicit;
  }

  // The binding an identifier node means (its own scope for declarations, the enclosing one otherwise).
  const bindingOf = (id) => lookup(id.name, scopeOf.get(id));

  function inPattern(node) {
    let n = node;
    for (let p = parentOf.get(n); p; n = p, p = parentOf.get(p)) {
      if (PATTERNS.has(p.type)) return true;
      if (p.type === 'Property' && parentOf.get(p).type === 'ObjectPattern') return fieldOf.get(n) === 'value';
      if (p.type === 'AssignmentPattern') return fieldOf.get(n) === 'left' && inPattern(p);
      return false;
    }
    return false;
  }

  // An identifier whose value the code reads (not a declaration, a key, a label or a write target).
  function isRead(id) {
    const p = parentOf.get(id);
    const f = fieldOf.get(id);
    if (!p) return false;
    switch (p.type) {
      case 'MemberExpression': return f === 'object' || p.computed;
      case 'Property':
        if (f === 'key') return p.computed;
        return parentOf.get(p).type !== 'ObjectPattern';
      case 'MethodDefinition': case 'PropertyDefinition': return f !== 'key' || p.computed;
      case 'VariableDeclarator': return f === 'init';
      case 'FunctionDeclaration': case 'FunctionExpression': case 'ArrowFunctionExpression': return f === 'body';
      case 'ClassDeclaration': case 'ClassExpression': return f === 'superClass';
      case 'AssignmentExpression': return f === 'right' || (f === 'left' && p.operator !== '=');
      case 'AssignmentPattern': return f === 'right';
      case 'ForInStatement': case 'ForOfStatement': return f === 'right';
      case 'UpdateExpression': return true;
      case 'CatchClause': case 'LabeledStatement': case 'BreakStatement': case 'ContinueStatement':
      case 'MetaProperty': case 'ArrayPattern': case 'ObjectPattern': case 'RestElement': return false;
      default: return true;
    }
  }

  return {root, scopeOf, parentOf, fieldOf, nodes, readsArguments, lookup, bindingOf, inPattern, isRead};
}

module.exports = {buildScopes, children, patternNames, FUNCTIONS};
