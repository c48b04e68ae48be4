// V8's allocation tracking names the function that allocated, not the line. Given that
// function's source and what was allocated, this finds the statement: a `new Class(...)`,
// an object literal with the object's property names, or an array literal, inside the
// function's own body (not in nested functions). Parsed with acorn, never with a regex.

import * as acorn from 'acorn';
import * as walk from 'acorn-walk';

export interface AllocatedShape {
  className: string;
  /** Property names of the object, for matching object literals. */
  propertyNames?: string[];
  /** For closures (`className` 'Function'): the function's name, to find its expression. */
  functionName?: string;
  /**
   * For a container that grew (a backing store V8 reallocated): the name it is held by, to find
   * the statement that adds to it (`latencies.push(…)`, `seenIds.add(…)`, `counts[id] = …`).
   */
  holder?: string;
}

export interface StatementPosition {
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  /**
   * How it was found: a constructor call, a literal, a call into the next frame (`call`,
   * or `super` for a base class's constructor), or only the function.
   */
  how: 'new' | 'literal' | 'call' | 'super' | 'function';
}

type Fn = acorn.Function & acorn.Node;

const parsed = new Map<string, acorn.Program | null>();

function parse(source: string): acorn.Program | null {
  const hit = parsed.get(source);
  if (hit !== undefined) return hit;
  let program: acorn.Program | null = null;
  for (const sourceType of ['module', 'script'] as const) {
    try {
      program = acorn.parse(source, {
        ecmaVersion: 'latest',
        sourceType,
        locations: true,
        allowHashBang: true,
        allowReturnOutsideFunction: true,
        allowAwaitOutsideFunction: sourceType === 'script',
      });
      break;
    } catch {
      program = null;
    }
  }
  if (parsed.size > 50) parsed.clear();
  parsed.set(source, program);
  return program;
}

/**
 * `line`/`column` (1-based) are where V8 says the allocating function starts (its
 * parameter list for most functions). Returns the allocating statement, or the function's
 * own position when nothing in it matches.
 */
export function findAllocatingStatement(
  source: string,
  line: number,
  column: number,
  shape: AllocatedShape,
): StatementPosition | null {
  const program = parse(source);
  if (!program || line < 1) return null;
  const offset = offsetOf(source, line, column);
  const fn = innermostFunctionAt(program, offset);
  const scope: acorn.Node = fn ?? program;
  const matches: { node: acorn.Node; how: 'new' | 'literal' | 'call' }[] = [];
  const wanted = new Set(shape.propertyNames ?? []);
  const visit = (node: acorn.Node, how: 'new' | 'literal' | 'call'): void => {
    matches.push({ node, how });
  };
  const closures: { node: acorn.Node; named: boolean }[] = [];
  const isString = /^\((concatenated |sliced )?string\)$/.test(shape.className);
  const holder = shape.holder;
  // `x.holder` or `holder` itself: the container a statement adds to.
  const isHolder = (n: acorn.Node): boolean =>
    (n.type === 'Identifier' && (n as acorn.Identifier).name === holder) ||
    (n.type === 'MemberExpression' &&
      !(n as acorn.MemberExpression).computed &&
      (n as acorn.MemberExpression).property.type === 'Identifier' &&
      ((n as acorn.MemberExpression).property as acorn.Identifier).name === holder);
  walk.recursive(fn ? fn.body : program, null, {
    CallExpression(node, state, c) {
      const callee = node.callee;
      if (holder && callee.type === 'MemberExpression' && isHolder(callee.object)) visit(node, 'call');
      walk.base.CallExpression!(node, state, c);
    },
    Function(node, _state, c) {
      // Nested functions allocate on their own account; only descend into the scope itself.
      if (node === scope) c((node as Fn).body, null);
      // A closure is allocated where its function expression is evaluated.
      else if (shape.className === 'Function')
        closures.push({ node, named: !!shape.functionName && (node as Fn).id?.name === shape.functionName });
    },
    VariableDeclarator(node, state, c) {
      // `const onTick = () => …`: V8 names the arrow after its variable.
      const init = node.init;
      if (
        shape.className === 'Function' &&
        init &&
        (init.type === 'ArrowFunctionExpression' || init.type === 'FunctionExpression') &&
        node.id.type === 'Identifier' &&
        node.id.name === shape.functionName
      )
        closures.push({ node: init, named: true });
      walk.base.VariableDeclarator!(node, state, c);
    },
    NewExpression(node, state, c) {
      const callee = node.callee;
      const name =
        callee.type === 'Identifier'
          ? callee.name
          : callee.type === 'MemberExpression' && callee.property.type === 'Identifier'
            ? callee.property.name
            : '';
      if (name && name === shape.className) visit(node, 'new');
      walk.base.NewExpression!(node, state, c);
    },
    ObjectExpression(node, state, c) {
      if (shape.className === 'Object' && wanted.size > 0) {
        const keys = node.properties.map((p) =>
          p.type === 'Property' && p.key.type === 'Identifier'
            ? p.key.name
            : p.type === 'Property' && p.key.type === 'Literal'
              ? String(p.key.value)
              : '',
        );
        if (keys.length > 0 && keys.every((k) => wanted.has(k))) visit(node, 'literal');
      }
      walk.base.ObjectExpression!(node, state, c);
    },
    ArrayExpression(node, state, c) {
      if (shape.className === 'Array') visit(node, 'literal');
      walk.base.ArrayExpression!(node, state, c);
    },
    // A string is made where text is joined: `log += line`, `a + b`, a template with values.
    AssignmentExpression(node, state, c) {
      if (isString && node.operator === '+=') visit(node, 'literal');
      const target = node.left;
      if (holder && target.type === 'MemberExpression' && target.computed && isHolder(target.object))
        visit(node, 'call');
      walk.base.AssignmentExpression!(node, state, c);
    },
    BinaryExpression(node, state, c) {
      if (isString && node.operator === '+') visit(node, 'literal');
      walk.base.BinaryExpression!(node, state, c);
    },
    TemplateLiteral(node, state, c) {
      if (isString && node.expressions.length > 0) visit(node, 'literal');
      walk.base.TemplateLiteral!(node, state, c);
    },
  });
  const closure = closures.find((x) => x.named) ?? (closures.length === 1 ? closures[0] : undefined);
  if (closure) matches.push({ node: closure.node, how: 'literal' });
  const first = matches.sort((x, y) => x.node.start - y.node.start)[0];
  if (first) {
    const loc = first.node.loc!.start;
    return { line: loc.line, column: loc.column + 1, how: first.how };
  }
  if (fn) {
    const loc = fn.loc!.start;
    return { line: loc.line, column: loc.column + 1, how: 'function' };
  }
  return null;
}

/**
 * In a caller frame (the function V8 says starts at `line`/`column`), the expression that
 * leads to the next frame in: a call of `callee` (`callee(…)`, `x.callee(…)`), a
 * `new callee(…)`, or, in a derived class's constructor, `super(…)` when nothing calls
 * `callee` by name (the base class's constructor). Falls back to the function itself.
 */
export function findCallStatement(
  source: string,
  line: number,
  column: number,
  callee: string,
  intoOtherFile = false,
): StatementPosition | null {
  const program = parse(source);
  if (!program || line < 1) return null;
  const imported = moduleBindings(program);
  const fn = innermostFunctionAt(program, offsetOf(source, line, column));
  const scope: acorn.Node = fn ?? program;
  // V8's inferred names hold every name a function was assigned to
  // (`Emitter.on.Emitter.addEventListener`): a call by any of them is the call.
  const names = new Set(calleeNames(callee));
  const named: acorn.Node[] = [];
  const others: acorn.Node[] = [];
  const supers: acorn.Node[] = [];
  const nameOf = (c: acorn.Node): string => {
    // Compiled imports call `(0, mod.fn)(…)` (TypeScript, esbuild, Babel): the callee is the last.
    if (c.type === 'SequenceExpression') return nameOf((c as acorn.SequenceExpression).expressions.at(-1)!);
    if (c.type === 'Identifier') return (c as acorn.Identifier).name;
    const m = c as acorn.MemberExpression;
    if (
      c.type === 'MemberExpression' &&
      (m.property.type === 'Identifier' || m.property.type === 'PrivateIdentifier')
    )
      return (m.property as acorn.Identifier).name;
    return '';
  };
  walk.recursive(fn ? fn.body : program, null, {
    Function(node, _state, c) {
      if (node === scope) c((node as Fn).body, null);
    },
    CallExpression(node, state, c) {
      if (node.callee.type === 'Super') supers.push(node);
      else if (names.has(nameOf(node.callee))) named.push(node);
      else if (imported.has(rootName(node.callee))) others.push(node);
      walk.base.CallExpression!(node, state, c);
    },
    NewExpression(node, state, c) {
      if (names.has(nameOf(node.callee))) named.push(node);
      walk.base.NewExpression!(node, state, c);
    },
  });
  const pick = (list: acorn.Node[], how: StatementPosition['how']): StatementPosition | null => {
    const first = list.sort((x, y) => x.start - y.start)[0];
    return first ? { line: first.loc!.start.line, column: first.loc!.start.column + 1, how } : null;
  };
  // A package's export called under another local name (`const debug = require('debug')`
  // runs `createDebug`): when the next frame is another file's, the only call to something
  // not defined in this file is the one.
  const found =
    pick(named, 'call') ??
    pick(supers, 'super') ??
    (intoOtherFile && others.length === 1 ? pick(others, 'call') : null);
  if (found) return found;
  return fn ? { line: fn.loc!.start.line, column: fn.loc!.start.column + 1, how: 'function' } : null;
}

/** The names a function is called by in source: V8's `get x`, `Foo.bar`, `bound f` → `x`, `bar`, `f`. */
export function calleeNames(v8Name: string): string[] {
  const bare = v8Name.replace(/^(get|set|async|bound) /, '');
  return bare
    .split('.')
    .map((x) => x.replace(/^#/, ''))
    .filter((x) => x && x !== 'prototype')
    .reverse();
}

/** Top-level bindings that are not functions this file defines (a `require`, an import, a value). */
function moduleBindings(program: acorn.Program): Set<string> {
  const names = new Set<string>();
  for (const st of program.body) {
    if (st.type === 'ImportDeclaration') for (const sp of st.specifiers) names.add(sp.local.name);
    if (st.type !== 'VariableDeclaration') continue;
    for (const d of st.declarations) {
      if (d.id.type === 'Identifier' && !(d.init && /Function|Class/.test(d.init.type))) names.add(d.id.name);
    }
  }
  return names;
}

/** `a` for `a(…)`, `a.b.c(…)`; '' otherwise. */
function rootName(callee: acorn.Node): string {
  let c = callee;
  while (c.type === 'MemberExpression') c = (c as acorn.MemberExpression).object;
  return c.type === 'Identifier' ? (c as acorn.Identifier).name : '';
}

/**
 * What a person calls the function V8 says starts at line/column when the source gives it no
 * name and it is an argument of a call: "(anonymous, passed to `pMap`)". V8 names such a
 * function after whatever names surround it (`pMap.concurrency`, for the arrow in
 * `pMap(skus, async (sku) => …, { concurrency: 2 })`), which names nothing in the code.
 * Null when the function has a name, or is not a call's argument.
 */
export function callbackName(source: string, line: number, column: number): string | null {
  const program = parse(source);
  if (!program || line < 1) return null;
  const fn = innermostFunctionAt(program, offsetOf(source, line, column));
  if (!fn || fn.id) return null;
  let name: string | null = null;
  walk.fullAncestor(program, (node, _state, ancestors) => {
    if (node !== fn || name !== null) return;
    const parent = ancestors[ancestors.length - 2];
    if (parent?.type !== 'CallExpression' && parent?.type !== 'NewExpression') return;
    const call = parent;
    if (!call.arguments.includes(fn as acorn.Expression)) return;
    const callee = source.slice(call.callee.start, call.callee.end);
    if (callee.length <= 40 && !/\s/.test(callee)) name = `(anonymous, passed to \`${callee}\`)`;
  });
  return name;
}

function offsetOf(source: string, line: number, column: number): number {
  let at = 0;
  for (let l = 1; l < line; l++) {
    const nl = source.indexOf('\n', at);
    if (nl < 0) return source.length;
    at = nl + 1;
  }
  return at + Math.max(0, column - 1);
}

/** The innermost function whose header contains `offset` (V8 points at the parameter list). */
function innermostFunctionAt(program: acorn.Program, offset: number): Fn | null {
  let best: Fn | null = null;
  walk.full(program, (node) => {
    if (
      node.type !== 'FunctionDeclaration' &&
      node.type !== 'FunctionExpression' &&
      node.type !== 'ArrowFunctionExpression'
    )
      return;
    const fn = node as Fn;
    if (offset < fn.start || offset > fn.body.start) return;
    if (!best || fn.start >= best.start) best = fn;
  });
  // Class methods and constructors: V8 points at the method name, just before the FunctionExpression.
  if (!best) {
    walk.full(program, (node) => {
      if (node.type !== 'MethodDefinition' && node.type !== 'Property' && node.type !== 'PropertyDefinition')
        return;
      const value = (node as acorn.MethodDefinition).value as Fn | null;
      if (!value || (value.type !== 'FunctionExpression' && value.type !== 'ArrowFunctionExpression')) return;
      if (offset < node.start || offset > value.body.start) return;
      if (!best || value.start >= best.start) best = value;
    });
  }
  return best;
}
