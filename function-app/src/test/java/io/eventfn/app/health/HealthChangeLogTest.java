package io.eventfn.app.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.smallrye.health.SmallRyeHealth;
import io.smallrye.health.api.HealthType;
import io.smallrye.health.event.SmallRyeHealthStatusChangeEvent;

class HealthChangeLogTest {

    private static final String DOWN = """
            {"status":"DOWN","checks":[
              {"name":"SmallRye Reactive Messaging - readiness check","status":"DOWN","data":{
                "input":"[OK] - no connection was ever attempted, the channel was started as paused",
                "output":"[KO]","output-transactional":"[OK]"}},
              {"name":"Kafka authentication","status":"UP","data":{"failed-authentications":0}}]}""";
    private static final String UP = """
            {"status":"UP","checks":[{"name":"Kafka authentication","status":"UP","data":{}}]}""";

    private final List<LogRecord> logged = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureTheLog() {
        Logger.getLogger(HealthChangeLog.class.getName()).addHandler(capture);
    }

    @AfterEach
    void stopCapturing() {
        Logger.getLogger(HealthChangeLog.class.getName()).removeHandler(capture);
    }

    @Test
    void logsOneWarningNamingTheFailingCheckAndWhyWhenReadinessGoesDown() {
        new HealthChangeLog().readinessChanged(event(HealthType.READINESS, DOWN));

        assertThat(logged).singleElement().satisfies(record -> {
            assertThat(record.getLevel().intValue()).isEqualTo(Level.WARNING.intValue());
            assertThat(formatted(record)).isEqualTo(
                    "Readiness is DOWN: SmallRye Reactive Messaging - readiness check (output: [KO])");
        });
    }

    @Test
    void logsOneInfoLineWhenLivenessIsUpAgain() {
        new HealthChangeLog().livenessChanged(event(HealthType.LIVENESS, UP));

        assertThat(logged).singleElement().satisfies(record -> {
            assertThat(record.getLevel().intValue()).isEqualTo(Level.INFO.intValue());
            assertThat(formatted(record)).isEqualTo("Liveness is UP again");
        });
    }

    private static SmallRyeHealthStatusChangeEvent event(HealthType type, String report) {
        JsonObject payload = Json.createReader(new StringReader(report)).readObject();
        return new SmallRyeHealthStatusChangeEvent(type, new SmallRyeHealth(payload));
    }

    private static String formatted(LogRecord record) {
        return record instanceof org.jboss.logmanager.ExtLogRecord ext ? ext.getFormattedMessage()
                : String.format(record.getMessage(), record.getParameters());
    }
}
