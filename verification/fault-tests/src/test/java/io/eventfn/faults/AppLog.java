package io.eventfn.faults;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.eventfn.kafka.local.PackagedApp;

/**
 * What one instance's log says happened to it, counted from the lines the app writes: its rebalances (each ends with
 * one {@code Rebalance: assigned} line, possibly of nothing), partitions revoked and lost, aborted transactions, writes
 * sent again. Counting log lines rather than metrics keeps these numbers independent of the metrics' names.
 */
record AppLog(String instance, long rebalances, long revocations, long losses, long fencedCommits,
        long abortedTransactions, long producerReplacements, long resends, long notLive) {

    /** How the broker refuses a commit from a member the group no longer knows, as the app logs it. */
    private static final List<String> FENCED_COMMIT = List.of("CommitFailedException", "UnknownMemberIdException",
            "StaleMemberEpochException", "IllegalGenerationException", "FencedInstanceIdException");

    static AppLog of(PackagedApp app) {
        List<String> lines = app.output().lines().toList();
        return new AppLog(app.name(),
                count(lines, "Rebalance: assigned"),
                count(lines, "Rebalance: revoked"),
                count(lines, "Rebalance: lost"),
                lines.stream().filter(line -> line.contains("WARN") && FENCED_COMMIT.stream().anyMatch(line::contains))
                        .count(),
                lines.stream().filter(line -> line.contains("Transaction of ") && line.contains(" aborted (")).count(),
                count(lines, "replacing the transactional producer"),
                lines.stream().filter(line -> line.contains("Writes for ") && line.contains("writing them again"))
                        .count(),
                count(lines, "Not live any more"));
    }

    /** The partitions of {@code topic} the instance owns, as its last {@code ... now owns N partitions [...]} says. */
    static Set<Integer> ownedPartitions(PackagedApp app, String topic) {
        List<String> owning = app.output().lines().filter(line -> line.contains("this instance now owns")).toList();
        if (owning.isEmpty()) {
            return Set.of();
        }
        String last = owning.get(owning.size() - 1);
        Set<Integer> owned = new TreeSet<>();
        Matcher partition = Pattern.compile(Pattern.quote(topic) + "-(\\d+)")
                .matcher(last.substring(last.indexOf("now owns")));
        while (partition.find()) {
            owned.add(Integer.parseInt(partition.group(1)));
        }
        return owned;
    }

    static List<AppLog> of(FaultRun run) {
        return run.instances().stream().map(AppLog::of).toList();
    }

    private static long count(List<String> lines, String fragment) {
        return lines.stream().filter(line -> line.contains(fragment)).count();
    }

    /** "a-1 0/3" : aborted transactions / rebalances of one instance. */
    String abortsPerRebalances() {
        return String.format(Locale.ROOT, "%s %d/%d", instance, abortedTransactions, rebalances);
    }
}
