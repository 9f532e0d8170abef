package io.eventfn.app.delivery;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import io.eventfn.core.Outcome;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;

/**
 * Carries an input record's trace context (W3C {@code traceparent}, {@code tracestate}, {@code baggage}) to what the
 * processor emits for it. With tracing off (the default) the headers are copied as they are, costing a header scan.
 * With the OpenTelemetry SDK on ({@code QUARKUS_OTEL_SDK_DISABLED=false}) each record gets a {@code process} span,
 * a child of the context the record carries, and the outputs carry that span's context (and the record's baggage),
 * so a trace goes from the producer of the input through this app to the consumers of its output. Dead letters keep
 * the source's headers as they are.
 */
final class RecordTracing {

    static final Set<String> TRACE_HEADERS = Set.of("traceparent", "tracestate", "baggage");

    private final Tracer tracer;
    private final TextMapPropagator propagator;
    private final String consumerGroup;

    private RecordTracing(Tracer tracer, TextMapPropagator propagator, String consumerGroup) {
        this.tracer = tracer;
        this.propagator = propagator;
        this.consumerGroup = consumerGroup;
    }

    /** Copies the trace headers; no spans. */
    static RecordTracing copying() {
        return new RecordTracing(null, null, null);
    }

    /** A span per record, exported by {@code openTelemetry}'s SDK. */
    static RecordTracing spans(OpenTelemetry openTelemetry, String consumerGroup) {
        return new RecordTracing(openTelemetry.getTracer("io.eventfn.app"),
                openTelemetry.getPropagators().getTextMapPropagator(), consumerGroup);
    }

    boolean makesSpans() {
        return tracer != null;
    }

    /**
     * Starts the record's {@code process} span.
     *
     * @return the context the record's outputs carry: the span, with the record's baggage; null when this makes no
     *         spans
     */
    Context start(ConsumerRecord<byte[], byte[]> record) {
        if (tracer == null) {
            return null;
        }
        Context parent = propagator.extract(Context.root(), record.headers(), HEADERS);
        Span span = tracer.spanBuilder(record.topic() + " process").setSpanKind(SpanKind.CONSUMER).setParent(parent)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.operation.type", "process")
                .setAttribute("messaging.destination.name", record.topic())
                .setAttribute("messaging.destination.partition.id", Integer.toString(record.partition()))
                .setAttribute("messaging.kafka.offset", record.offset())
                .setAttribute("messaging.consumer.group.name", consumerGroup)
                .startSpan();
        return parent.with(span);
    }

    /**
     * Adds the trace context to an output's headers unless the processor set it: the span's when there is one, else
     * the source's trace headers as they are.
     */
    void propagate(ConsumerRecord<byte[], byte[]> source, Context traced, Headers output) {
        if (output.lastHeader("traceparent") != null) {
            return;
        }
        if (traced != null) {
            propagator.inject(traced, output, HEADERS);
            return;
        }
        for (Header header : source.headers()) {
            if (TRACE_HEADERS.contains(header.key()) && output.lastHeader(header.key()) == null) {
                output.add(header);
            }
        }
    }

    /** Ends the span with the record's outcome: a dead letter marks it as an error with the reason class. */
    void end(Context traced, Outcome outcome) {
        if (traced == null) {
            return;
        }
        Span span = Span.fromContext(traced);
        if (outcome instanceof Outcome.Reject reject) {
            span.setStatus(StatusCode.ERROR, reject.reason());
            span.setAttribute("error.type", reject.reasonClass());
        }
        span.setAttribute("eventfn.outcome", switch (outcome) {
            case Outcome.Emit emit -> "emit";
            case Outcome.Reject reject -> "dead-letter";
            case Outcome.Skip skip -> "skip";
            case Outcome.Retry retry -> "retry";
        });
        span.end();
    }

    private static final HeaderAccess HEADERS = new HeaderAccess();

    /** Reads and writes W3C trace headers on Kafka headers (UTF-8 values). */
    private static final class HeaderAccess implements TextMapGetter<Headers>, TextMapSetter<Headers> {

        @Override
        public Iterable<String> keys(Headers headers) {
            List<String> keys = new ArrayList<>();
            headers.forEach(header -> keys.add(header.key()));
            return keys;
        }

        @Override
        public String get(Headers headers, String key) {
            if (headers == null) {
                return null;
            }
            Header header = headers.lastHeader(key);
            return header == null || header.value() == null ? null
                    : new String(header.value(), StandardCharsets.UTF_8);
        }

        @Override
        public void set(Headers headers, String key, String value) {
            if (headers != null) {
                headers.remove(key);
                headers.add(key, value.getBytes(StandardCharsets.UTF_8));
            }
        }
    }
}
