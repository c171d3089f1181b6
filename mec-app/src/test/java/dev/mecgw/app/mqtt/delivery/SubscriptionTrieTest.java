package dev.mecgw.app.mqtt.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mecgw.app.mqtt.persistence.Subscription;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SubscriptionTrieTest {

    private final SubscriptionTrie trie = new SubscriptionTrie();

    private void givenSubscription(String client, String filter) {
        trie.add(new Subscription(client, filter, null, 1, false, false, false));
    }

    private List<String> matching(String topic) {
        List<String> clients = new ArrayList<>();
        trie.match(topic, s -> clients.add(s.clientId() + ":" + s.filter()));
        return clients;
    }

    @Test
    void shouldMatchExactPlusAndHashFiltersWhenTopicMatches() {
        // given
        givenSubscription("a", "site/alarms/fire");
        givenSubscription("b", "site/+/fire");
        givenSubscription("c", "site/#");
        givenSubscription("d", "#");
        givenSubscription("e", "site/alarms");
        // when
        List<String> matched = matching("site/alarms/fire");
        // then
        assertThat(matched).containsExactlyInAnyOrder("a:site/alarms/fire", "b:site/+/fire", "c:site/#", "d:#");
        assertThat(matching("site")).containsExactlyInAnyOrder("c:site/#", "d:#");
    }

    @Test
    void shouldTreatEmptyLevelsAsLevelsWhenTopicHasLeadingTrailingOrDoubleSlashes() {
        // given filters naming empty levels, or matching them with wildcards (MQTT section 4.7.1)
        givenSubscription("a", "a/+");
        givenSubscription("b", "+/a");
        givenSubscription("c", "a//b");
        givenSubscription("d", "a/+/b");
        givenSubscription("e", "a/#");
        givenSubscription("f", "/");
        // when / then: each topic matches exactly the filters whose levels line up with its own
        assertThat(matching("a/")).containsExactlyInAnyOrder("a:a/+", "e:a/#");
        assertThat(matching("/a")).containsExactlyInAnyOrder("b:+/a");
        assertThat(matching("a//b")).containsExactlyInAnyOrder("c:a//b", "d:a/+/b", "e:a/#");
        assertThat(matching("/")).containsExactlyInAnyOrder("f:/");
        assertThat(matching("a")).containsExactlyInAnyOrder("e:a/#");
        assertThat(matching("ab")).isEmpty();
    }

    @Test
    void shouldNotMatchWildcardsWhenTopicStartsWithDollar() {
        // given
        givenSubscription("a", "#");
        givenSubscription("b", "+/stats");
        givenSubscription("c", "$SYS/#");
        // when / then
        assertThat(matching("$SYS/stats")).containsExactly("c:$SYS/#");
    }

    @Test
    void shouldPickOneMemberRoundRobinWhenSubscriptionIsShared() {
        // given
        trie.add(new Subscription("a", "jobs/#", "workers", 1, false, false, false));
        trie.add(new Subscription("b", "jobs/#", "workers", 1, false, false, false));
        // when
        List<String> first = matching("jobs/1");
        List<String> second = matching("jobs/2");
        // then
        assertThat(first).hasSize(1);
        assertThat(second).hasSize(1).doesNotContainAnyElementsOf(first);
    }

    @Test
    void shouldForgetSubscriptionAndPruneWhenRemoved() {
        // given
        givenSubscription("a", "x/y/z");
        // when
        boolean removed = trie.remove("a", "x/y/z", null);
        // then
        assertThat(removed).isTrue();
        assertThat(matching("x/y/z")).isEmpty();
        assertThat(trie.size()).isZero();
        assertThat(trie.remove("a", "x/y/z", null)).isFalse();
    }
}
