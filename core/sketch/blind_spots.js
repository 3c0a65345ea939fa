// Where a reader of the sketch loses track: code made at run time (eval, Function, string timers,
// import(), script elements and HTML that runs handlers, javascript: URLs), brush or the window escaping
// into a value the checker does not follow (objects, arrays, spreads, class fields, return values,
// unknown functions, Proxy, Object.*), names built at run time, reflection, `with`, and writes that
// replace brush or its methods. Each one is reported with why; the caller says "cannot check".
// Works on the value model of brush_refs.js (ctx.evaluate); offsets are UTF-16, as acorn gives them.
'use strict';

const CODE_TAGS = new Set(['script', 'iframe', 'frame', 'frameset', 'object', 'embed', 'portal']);
// Calls whose string argument (by index) is parsed as HTML, where an `on...=` attribute runs code.
const HTML_CALLS = {html: [0], createDiv: [0], createP: [0], createSpan: [0], createButton: [0], createA: [0, 1],
  createElement: [1], insertAdjacentHTML: [1], createContextualFragment: [0], setHTMLUnsafe: [0], parseHTMLUnsafe: [0]};
const HTML_KEYS = new Set(['innerHTML', 'outerHTML', 'srcdoc']);
const URL_KEYS = new Set(['href', 'location', 'action', 'formAction']);
const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'data', 'xlink:href']);
const REFLECTION = new Set(['constructor', '__proto__', 'getPrototypeOf', 'getOwnPropertyDescriptor',
  'getOwnPropertyDescriptors', 'getOwnPropertyNames', '__lookupGetter__', '__lookupSetter__',
  '__defineGetter__', '__defineSetter__', 'execCommand']);
const TIMERS = new Set(['setTimeout', 'setInterval', 'setImmediate']);
const JS_URL = /javascript\s*:/i;
const HTML_CODE = /<script|<[a-z][^>]*\son[a-z]+\s*=/i;  // a script tag, or an element with an on...= handler
const DOM_SINKS = new Set(['createElement', 'createElementNS', 'insertAdjacentHTML', 'createContextualFragment',
  'setAttribute', 'setAttributeNS', 'write', 'writeln', 'setHTMLUnsafe', 'parseHTMLUnsafe']);
// p5's functions that make elements from strings (p5 sets their innerHTML).
const P5_SINKS = new Set(['createElement', 'createDiv', 'createP', 'createSpan', 'createButton', 'createA']);
const SPECIAL_KEYS = /^(brush|window|globalThis|self|frames|parent|top|document|defaultView|eval|Function|setTimeout|setInterval|setImmediate|execScript|Reflect)$/;
// Object.* functions that hand out an object's names or values: on a value the checker cannot place,
// which may be the window, they reach brush without naming it.
const VALUE_READERS = /^(keys|values|entries|getOwnPropertyNames|getOwnPropertySymbols|assign)$/;

function blindSpots(ctx) {
  const {nodes, parentOf, fieldOf, scopeOf, root, isRead, inPattern, bindingOf, readsArguments, evaluate, keyOf,
    calledFunction, specialGlobal, blind} = ctx;
  const text = (n) => (n.type === 'Identifier' ? n.name : n.type === 'ThisExpression' ? 'this'
    : n.type === 'MemberExpression' && !n.computed ? `${text(n.object)}.${n.property.name}` : 'it');
  const constant = (n) => { const v = evaluate(n); return v && v.kind === 'string' ? v.value : null; };
  const calleeOf = (call) => (call.callee.type === 'ChainExpression' ? call.callee.expression : call.callee);
  const calleeName = (call) => {
    const c = calleeOf(call);
    return c.type === 'Identifier' ? c.name : c.type === 'MemberExpression' ? keyOf(c) : null;
  };

  // Step up through nodes that pass a value on unchanged: (a && b), c ? a : b, (x, a), await, ?.,
  // and `b = a` where the checker follows b (a name, a destructuring, a window property).
  function context(node) {
    let n = node;
    for (let p = parentOf.get(n); p; n = p, p = parentOf.get(p)) {
      const f = fieldOf.get(n);
      if (p.type === 'ChainExpression' || p.type === 'AwaitExpression' || p.type === 'LogicalExpression') continue;
      if (p.type === 'ConditionalExpression' && f !== 'test') continue;
      if (p.type === 'SequenceExpression' && p.expressions[p.expressions.length - 1] === n) continue;
      if (p.type === 'AssignmentExpression' && f === 'right' && followedTarget(p.left)) continue;
      return {p, f, n};
    }
    return {p: null, f: null, n};
  }

  function followedTarget(left) {
    if (left.type === 'Identifier' || left.type === 'ObjectPattern') return true;
    if (left.type !== 'MemberExpression') return false;
    const obj = evaluate(left.object);
    return !!obj && obj.kind === 'global' && !obj.unsure && keyOf(left) !== null;
  }

  // `window.brush = ...`, `self.window = ...`: a write to one of the names the checker resolves.
  function replacesGlobal(member) {
    const obj = evaluate(member.object);
    return !!obj && (obj.kind === 'global' || obj.kind === 'document') && SPECIAL_KEYS.test(keyOf(member) || '');
  }

  function isWriteTarget(n) {
    const p = parentOf.get(n);
    const f = fieldOf.get(n);
    if (!p) return false;
    return (p.type === 'AssignmentExpression' && f === 'left') || p.type === 'UpdateExpression'
      || (p.type === 'UnaryExpression' && p.operator === 'delete')
      || ((p.type === 'ForInStatement' || p.type === 'ForOfStatement') && f === 'left') || inPattern(n);
  }

  // brush or the window, read somewhere: fine where the checker follows the value, reported elsewhere.
  function escape(node, v) {
    const what = v.kind === 'brush' ? 'brush' : 'the global object (window)';
    const blind = (at, why) => ctx.blind(at, why, {brush: v.kind === 'brush'});
    const {p, f, n} = context(node);
    if (!p) return;
    switch (p.type) {
      case 'ExpressionStatement': case 'IfStatement': case 'WhileStatement': case 'DoWhileStatement':
      case 'ForStatement': case 'SwitchStatement': case 'SwitchCase':
      case 'BinaryExpression': case 'AssignmentPattern': case 'WithStatement': case 'ConditionalExpression':
      case 'SequenceExpression':
        return;
      case 'TemplateLiteral':  // a string, unless a tag function receives the values
        if (parentOf.get(p).type === 'TaggedTemplateExpression') blind(n, `a tag function receives ${what}; the checker does not follow it`);
        return;
      case 'UnaryExpression':
        if (p.operator === 'delete') blind(p, `delete changes ${what}`);
        return;
      case 'UpdateExpression':
        blind(p, `it replaces ${what}`);
        return;
      case 'MemberExpression':
        if (f === 'object') memberUse(p, v);
        return;
      case 'CallExpression': case 'NewExpression':
        if (f !== 'callee') argumentUse(p, n, what);
        return;
      case 'VariableDeclarator':
        if (p.id.type === 'ArrayPattern') blind(p, `array destructuring copies ${what} into names the checker does not follow`);
        return;
      case 'AssignmentExpression':
        if (f === 'left' && n.type === 'MemberExpression' && replacesGlobal(n)) {
          blind(p, `it replaces ${text(n)}, so later uses may not reach what they seem to`);
        } else if (f === 'right') blind(p, `it stores ${what} where the checker does not follow it`);
        return;
      case 'Property': if (f === 'value') blind(p, `it puts ${what} in an object the checker does not follow`); return;
      case 'ArrayExpression': blind(n, `it puts ${what} in an array the checker does not follow`); return;
      case 'SpreadElement': blind(p, `a spread copies ${what}; the copy is not followed`); return;
      case 'PropertyDefinition': blind(p, `a class field holds ${what}; the checker does not follow it`); return;
      case 'ReturnStatement': case 'ArrowFunctionExpression':
        blind(n, `a function returns ${what}; the checker does not follow return values`); return;
      case 'ForInStatement': case 'ForOfStatement':
        blind(n, f === 'right' ? `it walks the properties of ${what} by names known only at run time` : `it replaces ${what}`); return;
      default: blind(n, `${what} is used in a way the checker does not follow`);
    }
  }

  function memberUse(member, v) {
    const blind = (at, why) => ctx.blind(at, why, {brush: v.kind === 'brush'});
    const key = keyOf(member);
    if (key === null) {
      blind(member, v.kind === 'brush' ? 'the brush method is named at run time, so it is not checked'
        : 'a global named at run time may be brush or eval');
    } else if (isWriteTarget(member)) {
      if (v.kind === 'brush') blind(member, `it changes brush.${key}: later calls may run the sketch's own code`);
      else if (key === 'brush') blind(member, 'it replaces the global `brush`, so later uses may not reach p5.brush');
    }
  }

  function argumentUse(call, arg, what) {
    const blind = (at, why) => ctx.blind(at, why, {brush: what === 'brush'});
    const fn = calledFunction(call);
    if (fn) {
      const i = call.arguments.indexOf(arg);
      const spread = call.arguments.findIndex((a) => a.type === 'SpreadElement');
      let param = fn.params[i];
      if (param && param.type === 'AssignmentPattern') param = param.left;
      if (spread >= 0 && spread < i) blind(arg, `${what} follows a spread argument; the checker cannot tell which parameter gets it`);
      else if (!param || (param.type !== 'Identifier' && param.type !== 'ObjectPattern')) {
        blind(arg, `${what} is passed where the function has no plain parameter for it`);
      } else if (readsArguments.has(fn)) blind(arg, `the function reads \`arguments\`, which the checker does not follow`);
      return;
    }
    const callee = calleeOf(call);
    const target = callee.type === 'MemberExpression' ? evaluate(callee) : null;
    if (callee.type === 'MemberExpression' && callee.object.type === 'Identifier' && callee.object.name === 'console'
        && bindingOf(callee.object).implicit) return;
    if (target && target.kind === 'method') return;  // brush.x(brush): p5.brush's own code
    blind(arg, `${what} is passed to ${text(callee)}(...), which the checker cannot follow`);
  }

  // `x.brush` where x may be the window (an event's view, a parameter, ...): used as an object, it may
  // be p5.brush under another name.
  function maybeUse(node) {
    const {p, f} = context(node);
    if (!p) return;
    const why = `${text(node)} may be p5.brush (when its object is the window); the checker cannot tell`;
    if ((p.type === 'MemberExpression' && f === 'object') || p.type === 'WithStatement' || p.type === 'SpreadElement'
        || (p.type === 'ForInStatement' && f === 'right')) {
      blind(node, why);
    } else if ((p.type === 'CallExpression' || p.type === 'NewExpression') && f !== 'callee' && !calledFunction(p)) {
      const c = calleeOf(p);
      const reflective = c.type === 'MemberExpression' && c.object.type === 'Identifier' && /^(Object|Proxy)$/.test(c.object.name);
      if (reflective || (p.type === 'NewExpression' && c.type === 'Identifier' && c.name === 'Proxy')) blind(node, why);
    }
  }

  function isFunctionValue(n) {
    if (FUNCTION_NODES.has(n.type)) return true;
    if (n.type === 'CallExpression' && calleeName(n) === 'bind') return true;
    if (n.type === 'Identifier' && (bindingOf(n).strings || bindingOf(n).mixed)) return false;
    const v = evaluate(n);  // an undeclared global the sketch never set is one of p5's functions
    return (!!v && (v.kind === 'fn' || v.kind === 'method' || v.kind === 'host')) || isPromiseResolver(n);
  }

  // `new Promise((resolve, reject) => setTimeout(resolve, ms))`: the executor's parameters are functions.
  function isPromiseResolver(n) {
    if (n.type !== 'Identifier') return false;
    const b = bindingOf(n);
    if (b.kind !== 'param' || !FUNCTION_NODES.has(b.node.type)) return false;
    const call = parentOf.get(b.node);
    return !!call && call.type === 'NewExpression' && call.arguments[0] === b.node && call.callee.type === 'Identifier'
      && call.callee.name === 'Promise' && bindingOf(call.callee).implicit
      && b.node.params.slice(0, 2).some((p) => p.type === 'Identifier' && p.name === n.name);
  }

  function runnerUse(node, v) {
    const {p, f} = context(node);
    const call = p && (p.type === 'CallExpression' || p.type === 'NewExpression') && f === 'callee' ? p : null;
    if (TIMERS.has(v.name)) {
      if (!(call && call.arguments.length && isFunctionValue(call.arguments[0]))) {
        blind(call || node, `${v.name} given anything but a function runs a string as code`);
      }
    } else if (v.name === 'Reflect') {
      blind(node, 'Reflect reaches properties and calls by values the checker cannot follow');
    } else {
      blind(call || node, `${v.name} runs code made from strings at run time`);
    }
  }

  const risky = (n) => { const s = n ? constant(n) : ''; return s === null || /</.test(s) || JS_URL.test(s); };
  const riskyUrl = (n) => { const s = n ? constant(n) : ''; return s === null || JS_URL.test(s); };

  function callRules(call) {
    const name = calleeName(call);
    if (name === null) return;
    const args = call.arguments;
    const callee = calleeOf(call);
    if (VALUE_READERS.test(name) && callee.type === 'MemberExpression' && callee.object.type === 'Identifier'
        && callee.object.name === 'Object' && bindingOf(callee.object).implicit) {
      for (const arg of args.slice(name === 'assign' ? 1 : 0)) {
        const v = evaluate(arg);
        if (!v || v.kind === 'maybe') blind(arg, `Object.${name} reads the names or values of an object the checker cannot place (it may be the window)`);
      }
    }
    if (name === 'createElement' || name === 'createElementNS') {
      const tagArg = args[name === 'createElement' ? 0 : 1];
      const tag = tagArg ? constant(tagArg) : '';
      if (tag === null || CODE_TAGS.has(tag.toLowerCase().replace(/^.*:/, ''))) {
        blind(call, `${tag === null ? 'an element named at run time' : `a <${tag}> element`} may run code the checker never sees`);
        return;
      }
    }
    if (Object.prototype.hasOwnProperty.call(HTML_CALLS, name) && HTML_CALLS[name].some((i) => args[i] && risky(args[i]))) {
      blind(call, `${name}(...) parses HTML that is not a plain constant, and HTML can run code (on...= handlers)`);
    } else if (name === 'write' || name === 'writeln') {
      const obj = calleeOf(call).type === 'MemberExpression' ? evaluate(calleeOf(call).object) : null;
      if (obj && obj.kind === 'document') blind(call, `document.${name}(...) parses HTML, which can run code`);
    } else if (name === 'setAttribute' || name === 'setAttributeNS' || name === 'attribute') {
      const at = name === 'setAttributeNS' ? 1 : 0;
      const attr = args[at] ? constant(args[at]) : '';
      const lower = attr === null ? null : attr.toLowerCase();
      if (lower === null || lower.startsWith('on') || lower === 'srcdoc'
          || (URL_ATTRIBUTES.has(lower) && args[at + 1] && riskyUrl(args[at + 1]))) {
        blind(call, `${name}(${attr === null ? '...' : JSON.stringify(attr)}, ...) may make the page run code`);
      }
    } else if ((name === 'assign' || name === 'replace') && isLocation(calleeOf(call).object) && riskyUrl(args[0])) {
      blind(call, 'navigating to a URL made at run time may run a javascript: URL');
    } else if (name === 'open' && args.length && riskyUrl(args[0]) && isWindowFunction(calleeOf(call))) {
      blind(call, 'open() with a URL made at run time may run a javascript: URL');
    }
  }

  function isLocation(n) {
    if (!n) return false;
    if (n.type === 'Identifier') return n.name === 'location' && bindingOf(n).implicit;
    return n.type === 'MemberExpression' && keyOf(n) === 'location';
  }

  function isWindowFunction(callee) {
    if (callee.type === 'Identifier') return bindingOf(callee).implicit;
    const obj = callee.type === 'MemberExpression' ? evaluate(callee.object) : null;
    return !!obj && obj.kind === 'global';
  }

  function assignmentRules(node) {
    const left = node.left;
    const key = left.type === 'MemberExpression' ? keyOf(left) : null;
    if (key !== null && HTML_KEYS.has(key) && risky(node.right)) {
      blind(node, `setting ${key} to HTML that is not a plain constant can run code (on...= handlers)`);
    } else if (((key !== null && URL_KEYS.has(key)) || isLocation(left)) && riskyUrl(node.right)) {
      blind(node, 'navigating to a URL made at run time may run a javascript: URL');
    }
  }

  for (const node of nodes) {
    switch (node.type) {
      case 'Identifier': case 'ThisExpression': case 'MemberExpression': {
        if (node.type === 'Identifier' && !isRead(node)) break;
        const v = evaluate(node);
        if (node.type === 'Identifier' && P5_SINKS.has(node.name) && v && v.kind === 'host') sinkAsValue(node, node.name);
        if (!v) break;
        if (v.kind === 'brush' || v.kind === 'global') escape(node, v);
        else if (v.kind === 'maybe') maybeUse(node);
        else if (v.kind === 'runner') runnerUse(node, v);
        break;
      }
      case 'ForInStatement': {
        const v = evaluate(node.right);
        if (!v || v.kind === 'maybe') blind(node.right, 'for...in walks the names of an object the checker cannot place (it may be the window)');
        break;
      }
      case 'ImportExpression':
        blind(node, 'import() loads and runs code the checker never sees');
        break;
      case 'WithStatement':
        blind(node, 'with (...) makes every name inside it ambiguous (it may be a property of the object)',
          {end: node.object.end + 1});
        break;
      case 'CallExpression': case 'NewExpression': callRules(node); break;
      case 'AssignmentExpression': assignmentRules(node); break;
      case 'FunctionDeclaration':  // at the top, or in a block there (sloppy mode hoists it to a global)
        if (node.id && scopeOf.get(node).functionScope() === root && specialGlobal(node.id.name)) {
          blind(node.id, `function ${node.id.name} replaces the global \`${node.id.name}\``);
        }
        break;
      case 'Literal':
        if (typeof node.value === 'string') stringRules(node, node.value);
        break;
      case 'TemplateElement':
        stringRules(node, node.value.cooked || '');
        break;
      case 'BinaryExpression': {  // 'java' + 'script:...': the folded whole, once
        const p = parentOf.get(node);
        if (node.operator === '+' && !(p.type === 'BinaryExpression' && p.operator === '+')) {
          const folded = constant(node);
          if (folded !== null) stringRules(node, folded);
        }
        break;
      }
      case 'Property':
        if (!node.computed && HTML_KEYS.has(node.key.name || node.key.value) && parentOf.get(node).type === 'ObjectExpression'
            && risky(node.value)) {
          blind(node, `an object with ${node.key.name || node.key.value} set to HTML that is not a plain constant may run code`);
        }
        break;
      default: break;
    }
    if (node.type === 'MemberExpression') memberRules(node);
  }

  function stringRules(node, value) {
    if (JS_URL.test(value)) blind(node, 'a javascript: URL runs code the checker never sees');
    else if (HTML_CODE.test(value)) blind(node, 'HTML with a script or an on...= handler runs code the checker never sees');
  }

  // A DOM function that turns strings into code, taken as a value (`.call`, `.bind`, an alias): the
  // checker no longer sees its arguments.
  function sinkAsValue(node, name) {
    const {p, f} = context(node);
    if (!(p && (p.type === 'CallExpression' || p.type === 'NewExpression') && f === 'callee')) {
      blind(node, `${name} taken as a value: the checker cannot see what it is given`);
    }
  }

  function memberRules(member) {
    const key = keyOf(member);
    if (key !== null && DOM_SINKS.has(key)) {
      const obj = evaluate(member.object);
      if ((key !== 'write' && key !== 'writeln') || (obj && obj.kind === 'document')) sinkAsValue(member, key);
    }
    if (key === null && member.computed && (evaluate(member.object) || {}).kind === 'document') {
      blind(member, 'a property of document named at run time may be one that runs code');
    }
    if (key !== null && REFLECTION.has(key)) {
      const p = parentOf.get(member);
      const nameOnly = key === 'constructor' && p && p.type === 'MemberExpression' && !p.computed && p.property.name === 'name';
      if (!nameOnly) blind(member, `.${key} reaches objects (such as Function) the checker cannot follow`);
    } else if (key === null && member.computed && member.property.type === 'CallExpression'
        && (evaluate(member.property) || {}).kind === 'text') {
      blind(member, 'a property name decoded or built at run time (char codes, atob, join, ...) is not checked');
    }
  }
}

const FUNCTION_NODES = new Set(['FunctionExpression', 'ArrowFunctionExpression']);

module.exports = {blindSpots};
