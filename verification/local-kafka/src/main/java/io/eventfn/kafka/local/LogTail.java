package io.eventfn.kafka.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/** Lines of a log file for error messages that must show why a child process failed. */
public final class LogTail {

    /** Enough bytes for a few dozen long log lines; a broker's log can be many megabytes. */
    private static final int MAX_BYTES = 64 * 1024;

    private LogTail() {
    }

    /** The last {@code count} lines of {@code file}, or a note saying why there are none. */
    public static String of(Path file, int count) {
        if (!Files.exists(file)) {
            return "(" + file + " does not exist)";
        }
        try (SeekableByteChannel channel = Files.newByteChannel(file)) {
            long size = channel.size();
            int length = (int) Math.min(size, MAX_BYTES);
            ByteBuffer buffer = ByteBuffer.allocate(length);
            channel.position(size - length);
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // read until the buffer is full or the file ends
            }
            List<String> lines = Arrays.asList(new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).split("\r?\n"));
            if (length < size && !lines.isEmpty()) {
                lines = lines.subList(1, lines.size()); // the first line was cut by the byte limit
            }
            List<String> tail = lines.subList(Math.max(0, lines.size() - count), lines.size());
            return tail.isEmpty() ? "(" + file + " is empty)" : String.join(System.lineSeparator(), tail);
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    /**
     * The first {@code max} lines of {@code file} that log4j wrote at ERROR or FATAL level, each with
     * the line after it (usually the exception); empty when there are none or the file cannot be read.
     */
    public static String errors(Path file, int max) {
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            List<String> found = new ArrayList<>();
            Iterator<String> it = lines.iterator();
            while (it.hasNext() && found.size() < 2 * max) {
                String line = it.next();
                if (line.contains("] ERROR ") || line.contains("] FATAL ")) {
                    found.add(line);
                    if (it.hasNext()) {
                        found.add(it.next());
                    }
                }
            }
            return String.join(System.lineSeparator(), found);
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }
}
