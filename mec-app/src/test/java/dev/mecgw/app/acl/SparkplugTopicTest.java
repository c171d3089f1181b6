package dev.mecgw.app.acl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 21.3: the Sparkplug B topic grammar and the edge node ACL, also as the site's access policy applies it. */
class SparkplugTopicTest {

    private final RuleBasedAccessPolicy policy = givenAPolicyWithoutRules();
    private final Principal node = new Principal("edge-1", SparkplugTopic.NODE_DEVICE_TYPE);

    @Test
    void shouldParseNodeAndDeviceTopicsWhenWellFormed() {
        assertThat(SparkplugTopic.parse("spBv1.0/plant/NDATA/edge-1"))
                .contains(new SparkplugTopic("plant", SparkplugTopic.Type.NDATA, "edge-1", null));
        assertThat(SparkplugTopic.parse("spBv1.0/plant/DDATA/edge-1/pump"))
                .contains(new SparkplugTopic("plant", SparkplugTopic.Type.DDATA, "edge-1", "pump"));
    }

    @Test
    void shouldNotParseWhenLevelsOrTypeAreWrong() {
        for (String topic : List.of(
                "spBv1.0/plant/NDATA/edge-1/pump",
                "spBv1.0/plant/DDATA/edge-1",
                "spBv1.0/plant/NFOO/edge-1",
                "spBv1.0//NDATA/edge-1",
                "spBv1.0/STATE/host",
                "devices/edge-1/telemetry")) {
            assertThat(SparkplugTopic.parse(topic)).as(topic).isEmpty();
        }
    }

    @Test
    void shouldLetNodePublishOnlyItsOwnBirthsDataAndDeathsWhenItIsASparkplugDevice() {
        assertThat(policy.mayPublish(node, "spBv1.0/plant/NBIRTH/edge-1")).isTrue();
        assertThat(policy.mayPublish(node, "spBv1.0/plant/DDATA/edge-1/pump")).isTrue();
        assertThat(policy.mayPublish(node, "spBv1.0/plant/NBIRTH/edge-2")).isFalse();
        assertThat(policy.mayPublish(node, "spBv1.0/plant/NCMD/edge-1")).isFalse();
        assertThat(policy.mayPublish(node, "spBv1.0/plant/DCMD/edge-1/pump")).isFalse();
        assertThat(policy.mayPublish(new Principal("edge-1", "sensor"), "spBv1.0/plant/NBIRTH/edge-1"))
                .isFalse();
        assertThat(policy.mayPublish(Principal.anonymous(), "spBv1.0/plant/NBIRTH/edge-1"))
                .isFalse();
    }

    @Test
    void shouldLetNodeSubscribeOnlyToItsCommandsAndHostStateWhenItIsASparkplugDevice() {
        assertThat(policy.maySubscribe(node, "spBv1.0/plant/NCMD/edge-1")).isTrue();
        assertThat(policy.maySubscribe(node, "spBv1.0/plant/NCMD/edge-1/#")).isTrue();
        assertThat(policy.maySubscribe(node, "spBv1.0/+/DCMD/edge-1/+")).isTrue();
        assertThat(policy.maySubscribe(node, "spBv1.0/STATE/scada-1")).isTrue();
        assertThat(policy.maySubscribe(node, "spBv1.0/plant/NCMD/edge-2")).isFalse();
        assertThat(policy.maySubscribe(node, "spBv1.0/plant/NDATA/+")).isFalse();
        assertThat(policy.maySubscribe(node, "spBv1.0/#")).isFalse();
    }

    private static RuleBasedAccessPolicy givenAPolicyWithoutRules() {
        RuleBasedAccessPolicy policy = new RuleBasedAccessPolicy(new AclRuleStore() {
            @Override
            public List<AclRule> list() {
                return List.of();
            }

            @Override
            public AclRule create(AclRuleRequest request) {
                throw new UnsupportedOperationException();
            }

            @Override
            public boolean delete(long id) {
                throw new UnsupportedOperationException();
            }
        });
        policy.reload();
        return policy;
    }
}
