package dev.mecgw.testsupport.kafka;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * What the broker knows of one consumer group, asked on the cloud's side of the backhaul (never cut): how many
 * members it has (0 once the broker dropped a consumer cut off for longer than its session timeout) and whether its
 * committed offsets reached the end of a partition.
 */
public final class ConsumerGroupProbe implements AutoCloseable {

    private final Admin admin;
    private final String group;

    /**
     * @param bootstrap where to ask, e.g. {@link EmbeddedKafkaBroker#cloudBootstrap()}
     * @param group the consumer group
     */
    public ConsumerGroupProbe(String bootstrap, String group) {
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
        this.group = group;
    }

    /** @return the group's members now */
    public int members() throws Exception {
        return admin.describeConsumerGroups(List.of(group))
                .all()
                .get(10, TimeUnit.SECONDS)
                .get(group)
                .members()
                .size();
    }

    /** @return the group's committed offset of {@code partition}; -1 when none */
    public long committed(TopicPartition partition) throws Exception {
        OffsetAndMetadata offset = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get(10, TimeUnit.SECONDS)
                .get(partition);
        return offset == null ? -1 : offset.offset();
    }

    /** @return the offset the next record of {@code partition} will get */
    public long endOffset(TopicPartition partition) throws Exception {
        return admin.listOffsets(Map.of(partition, OffsetSpec.latest()))
                .partitionResult(partition)
                .get(10, TimeUnit.SECONDS)
                .offset();
    }

    /** @return whether the group committed every record of {@code partition} */
    public boolean committedToEnd(TopicPartition partition) throws Exception {
        return committed(partition) == endOffset(partition);
    }

    @Override
    public void close() {
        admin.close();
    }
}
