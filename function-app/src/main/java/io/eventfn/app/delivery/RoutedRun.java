package io.eventfn.app.delivery;

import java.util.List;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * A run of one partition's records from one poll, processed: the records to write for it, in order, and the offset
 * to commit once they are written ({@code next}: past the run's last record and any transaction marker after it, with
 * the leader epoch the consumer saw, so that the next owner can detect a log truncation).
 *
 * @param inputRecords       how many input records the run covers
 * @param polledInGeneration the group generation (member epoch) the records were polled in
 */
record RoutedRun(TopicPartition partition, long firstOffset, OffsetAndMetadata next, List<Send> sends,
        int inputRecords, int polledInGeneration) {

    long bytes() {
        long bytes = 0;
        for (Send send : sends) {
            bytes += send.size();
        }
        return bytes;
    }
}
