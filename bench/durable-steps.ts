// The three steps of the bench orchestration, as plain handlers: the baseline calls them directly.

export interface Order {
  id: number;
  lines: { sku: string; quantity: number; unitPrice: number }[];
}

export function priceOrder(order: Order): Order & { total: number } {
  const total = order.lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);
  return { ...order, total };
}

export function reserveStock(order: Order & { total: number }): {
  id: number;
  total: number;
  reserved: string[];
} {
  return {
    id: order.id,
    total: order.total,
    reserved: order.lines.map((line) => `${line.sku}x${line.quantity}`),
  };
}

export function confirmOrder(reservation: { id: number; total: number; reserved: string[] }): string {
  return `order ${reservation.id}: ${reservation.reserved.length} lines, ${reservation.total.toFixed(2)}`;
}

export const sampleOrder: Order = {
  id: 42,
  lines: [
    { sku: "A-1", quantity: 2, unitPrice: 9.5 },
    { sku: "B-7", quantity: 1, unitPrice: 120 },
    { sku: "C-3", quantity: 5, unitPrice: 1.25 },
  ],
};
