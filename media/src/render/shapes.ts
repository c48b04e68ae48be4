// Node outlines by kind, so kinds differ by shape as well as by glyph and text,
// never by colour alone. Paths are centred on (0,0).

import type { GraphNodeKind } from '../../../src/core/report';

function rect(w: number, h: number, r: number): string {
  const x = -w / 2,
    y = -h / 2;
  return (
    `M${x + r},${y}H${x + w - r}A${r},${r} 0 0 1 ${x + w},${y + r}V${y + h - r}A${r},${r} 0 0 1 ${x + w - r},${y + h}` +
    `H${x + r}A${r},${r} 0 0 1 ${x},${y + h - r}V${y + r}A${r},${r} 0 0 1 ${x + r},${y}Z`
  );
}

export function shapePath(kind: GraphNodeKind, w: number, h: number): string {
  const x = -w / 2,
    y = -h / 2;
  switch (kind) {
    case 'closure': // a pill: fully rounded ends
      return rect(w, h, h / 2);
    case 'array': // brackets: square box with an inner tick at each end
      return `${rect(w, h, 0)}M${x + 6},${y}V${y + h}M${x + w - 6},${y}V${y + h}`;
    case 'string': // a slanted box, like a label tag
      return `M${x + 8},${y}H${x + w}L${x + w - 8},${y + h}H${x}Z`;
    case 'root': // a hexagon with pointed ends
      return `M${x},0L${x + 12},${y}H${x + w - 12}L${x + w},0L${x + w - 12},${y + h}H${x + 12}Z`;
    case 'system':
    case 'native':
    case 'code':
    case 'number': // cut corners; drawn dashed by CSS
      return `M${x + 8},${y}H${x + w - 8}L${x + w},${y + 8}V${y + h - 8}L${x + w - 8},${y + h}H${x + 8}L${x},${y + h - 8}V${y + 8}Z`;
    case 'group': // drawn as a stack: see stackPath
    case 'object':
    default:
      return rect(w, h, 4);
  }
}

/** The two offset outlines behind a group box that make it read as "many". */
export function stackPath(w: number, h: number): string {
  const x = -w / 2,
    y = -h / 2;
  return `M${x + 4},${y - 4}H${x + w + 4}V${y + h - 4}M${x + 8},${y - 8}H${x + w + 8}V${y + h - 8}`;
}
