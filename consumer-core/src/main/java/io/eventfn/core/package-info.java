/**
 * The processing contract: an {@link io.eventfn.core.InboundRecord} goes into a
 * {@link io.eventfn.core.RecordProcessor}, which returns an {@link io.eventfn.core.Outcome}
 * (emit, reject to the dead-letter topic, retry, or skip).
 *
 * <p>Plain Java only, so that business logic can be written and tested without a broker or a framework.
 */
package io.eventfn.core;
