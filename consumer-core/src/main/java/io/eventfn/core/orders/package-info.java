/**
 * The shipped example processor: {@link io.eventfn.core.orders.OrderEnricher} validates an order
 * and emits a summary of it (line count, total quantity, exact total).
 *
 * <p>Replace it with your own {@link io.eventfn.core.RecordProcessor}; the classes here show one way
 * to parse and validate JSON in a single pass and to reject bad input with a useful reason.
 */
package io.eventfn.core.orders;
