package io.eventfn.app.health;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import io.smallrye.health.event.SmallRyeHealthStatusChangeEvent;

/**
 * One log line when readiness or liveness changes, instead of SmallRye Health's whole report on every probe that finds
 * it DOWN (silenced in application.properties): WARN when it goes DOWN, naming the failing checks and why, INFO when
 * it is UP again. SmallRye Health fires the change events as the probes find them.
 */
@ApplicationScoped
public class HealthChangeLog {

    private static final Logger LOG = Logger.getLogger(HealthChangeLog.class);
    /** The messaging checks report every channel; a channel that is fine says so in a value starting with this. */
    private static final String FINE = "[OK]";

    void readinessChanged(@Observes @Readiness SmallRyeHealthStatusChangeEvent event) {
        log("Readiness", event.health().getPayload());
    }

    void livenessChanged(@Observes @Liveness SmallRyeHealthStatusChangeEvent event) {
        log("Liveness", event.health().getPayload());
    }

    static void log(String probe, JsonObject report) {
        if ("UP".equals(report.getString("status", null))) {
            LOG.infof("%s is UP again", probe);
        } else {
            LOG.warnf("%s is DOWN: %s", probe, failingChecks(report));
        }
    }

    /** {@code name (key: value, ...); name2 (...)} for the checks that are DOWN, leaving out the parts that are fine. */
    static String failingChecks(JsonObject report) {
        List<String> failing = new ArrayList<>();
        for (JsonValue check : report.getJsonArray("checks")) {
            JsonObject result = check.asJsonObject();
            if ("UP".equals(result.getString("status", null))) {
                continue;
            }
            List<String> why = new ArrayList<>();
            JsonObject data = result.getJsonObject("data");
            if (data != null) {
                for (Map.Entry<String, JsonValue> entry : data.entrySet()) {
                    String value = entry.getValue() instanceof JsonString text ? text.getString()
                            : entry.getValue().toString();
                    if (!value.startsWith(FINE)) {
                        why.add(entry.getKey() + ": " + value);
                    }
                }
            }
            failing.add(result.getString("name", "?") + (why.isEmpty() ? "" : " (" + String.join(", ", why) + ")"));
        }
        return failing.isEmpty() ? "no check says why" : String.join("; ", failing);
    }
}
