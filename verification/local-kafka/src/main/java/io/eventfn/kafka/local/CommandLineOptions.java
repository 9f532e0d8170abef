package io.eventfn.kafka.local;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** The {@code --name value} and {@code --flag} options of one {@link LocalKafkaCli} command. */
final class CommandLineOptions {

    private final String command;
    private final Map<String, String> values = new HashMap<>();
    private final Set<String> flags = new HashSet<>();

    private CommandLineOptions(String command) {
        this.command = command;
    }

    /**
     * @param valueOptions option names that take a value, e.g. {@code --port}
     * @param flagOptions  option names that take none, e.g. {@code --keep-running}
     * @throws IllegalArgumentException naming the option at fault
     */
    static CommandLineOptions parse(String command, String[] args, int from, Set<String> valueOptions, Set<String> flagOptions) {
        CommandLineOptions options = new CommandLineOptions(command);
        for (int i = from; i < args.length; i++) {
            String name = args[i];
            if (flagOptions.contains(name)) {
                options.flags.add(name);
            } else if (valueOptions.contains(name)) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(command + ": " + name + " needs a value");
                }
                options.values.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException(command + ": unknown option '" + name + "'");
            }
        }
        return options;
    }

    boolean has(String flag) {
        return flags.contains(flag);
    }

    Path path(String name) {
        String value = values.get(name);
        return value == null ? null : Path.of(value);
    }

    String text(String name, String defaultValue) {
        return values.getOrDefault(name, defaultValue);
    }

    int integer(String name, int defaultValue, int min, int max) {
        return (int) number(name, defaultValue, min, max);
    }

    long number(String name, long defaultValue, long min, long max) {
        String value = values.get(name);
        if (value == null) {
            return defaultValue;
        }
        long parsed;
        try {
            parsed = Long.parseLong(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(command + ": " + name + " must be a whole number, not '" + value + "'");
        }
        if (parsed < min || parsed > max) {
            throw new IllegalArgumentException(command + ": " + name + " must be between " + min + " and " + max + ", not " + parsed);
        }
        return parsed;
    }
}
