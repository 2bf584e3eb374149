// The interaction machine read as a graph straight from its definition: its
// state nodes and transitions. The diagram in docs/ and the model-based tests
// both come from here, so neither can drift from the machine.
import type { AnyStateMachine, AnyStateNode, AnyTransitionDefinition } from 'xstate';

export interface MachineStateNode {
  /** Full id, e.g. "interaction.contact.engaged.phase.wrapUp". */
  id: string;
  /** Path from the root, e.g. ["contact", "engaged", "phase", "wrapUp"]. */
  path: string[];
  key: string;
  type: 'atomic' | 'compound' | 'parallel' | 'final' | 'history';
  initial: string | null;
  children: MachineStateNode[];
}

export interface MachineTransition {
  /** "source#EVENT#n": the n-th transition the source defines for that event. */
  key: string;
  source: string;
  /** Target ids; empty for a transition that only records (stays in place). */
  targets: string[];
  /** The event type, or "always" for an eventless transition. */
  event: string;
  guard: string | null;
  actions: string[];
}

function guardName(guard: unknown): string | null {
  if (guard == null) return null;
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'function')
    return 'and' in guard || guard.name === 'and' ? 'and' : guard.name || 'guard';
  if (typeof guard === 'object' && 'type' in guard)
    return String((guard as { type: unknown }).type);
  return 'guard';
}

/** Names xstate's composed guards (`and([...])`) by what they combine. */
function describeGuard(guard: unknown): string | null {
  if (typeof guard === 'function' && 'guards' in guard) {
    const inner = (guard as { guards: unknown[] }).guards.map((g) => describeGuard(g) ?? '?');
    return inner.join(' and ');
  }
  return guardName(guard);
}

function actionName(action: unknown): string {
  if (typeof action === 'string') return action;
  if (typeof action === 'object' && action !== null && 'type' in action) return String(action.type);
  return 'inline';
}

function toNode(node: AnyStateNode): MachineStateNode {
  const children = Object.values(node.states as Record<string, AnyStateNode>).map(toNode);
  const initialTarget = node.type === 'compound' ? node.initial?.target?.[0] : undefined;
  return {
    id: node.id,
    path: [...node.path],
    key: node.key,
    type: node.type,
    initial: initialTarget ? initialTarget.key : null,
    children,
  };
}

export function stateTree(machine: AnyStateMachine): MachineStateNode {
  return toNode(machine.root);
}

export function allStateNodes(machine: AnyStateMachine): MachineStateNode[] {
  const visit = (node: MachineStateNode): MachineStateNode[] => [
    node,
    ...node.children.flatMap(visit),
  ];
  return visit(stateTree(machine));
}

/** The key `allTransitions` gives a transition definition, for matching what the machine selected. */
export function transitionKey(definition: AnyTransitionDefinition): string {
  const source = definition.source;
  const index = (source.transitions.get(definition.eventType) ?? []).indexOf(definition);
  return `${source.id}#${String(definition.eventType)}#${index}`;
}

/** Every transition of every state node, in definition order. */
export function allTransitions(machine: AnyStateMachine): MachineTransition[] {
  const transitions: MachineTransition[] = [];
  const visit = (node: AnyStateNode) => {
    for (const [eventType, definitions] of node.transitions) {
      for (const [index, definition] of definitions.entries()) {
        transitions.push({
          key: `${node.id}#${String(eventType)}#${index}`,
          source: node.id,
          targets: (definition.target ?? []).map((target: AnyStateNode) => target.id),
          event: String(eventType),
          guard: describeGuard(definition.guard),
          actions: definition.actions.map(actionName),
        });
      }
    }
    for (const [index, definition] of (node.always ?? []).entries()) {
      transitions.push({
        key: `${node.id}#always#${index}`,
        source: node.id,
        targets: (definition.target ?? []).map((target: AnyStateNode) => target.id),
        event: 'always',
        guard: describeGuard(definition.guard),
        actions: definition.actions.map(actionName),
      });
    }
    for (const child of Object.values(node.states as Record<string, AnyStateNode>)) visit(child);
  };
  visit(machine.root);
  return transitions;
}
