package dev.mecgw.app.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mecgw.app.console.ConsoleLoginTest.Browser;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Issue 19: the live regions' server-sent-event streams push their region when it changes, and logout ends the
 * session's streams at once.
 */
@QuarkusTest
class ConsoleLiveTest {

    @TestHTTPResource("/")
    URL base;

    @Inject
    dev.mecgw.app.events.EventLog events;

    @Test
    void shouldSendTilesAndEndStreamWhenUserLogsOut() throws Exception {
        // given a viewer with the Overview's stream open
        Browser viewer = ConsoleScreensTest.givenLoggedIn(ConsoleLoginTest.givenUser("viewer"));
        List<String> lines = new CopyOnWriteArrayList<>();
        String stream =
                streamOf(viewer.get("/console").then().statusCode(200).extract().asString());
        CompletableFuture<Void> ended = read(base, viewer, stream, lines);
        await().atMost(Duration.ofSeconds(20)).until(() -> lines.contains("status:200"));
        // when a change happens: one more device registered
        String device = "live-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        io.restassured.RestAssured.given()
                .header("Authorization", "Bearer " + ConsoleLoginTest.TOKEN)
                .contentType(io.restassured.http.ContentType.JSON)
                .body(Map.of("id", device, "type", "sensor"))
                .post("/api/v1/devices")
                .then()
                .statusCode(201);
        // then the tiles are pushed at the next refresh
        // (the event's data lines follow its name line: wait for what is asserted, not for the name alone)
        await().atMost(Duration.ofSeconds(20))
                .until(() -> String.join("\n", lines).contains("tile-devices"));
        assertThat(lines).contains("event:tiles");
        // when the user logs out
        viewer.post("/console/logout", Map.of()).then().statusCode(303);
        // then the stream ends
        await().atMost(Duration.ofSeconds(10)).until(ended::isDone);
    }

    @Test
    void shouldSendWhatIsWrongNowWhenAlarmsStreamOpens() throws Exception {
        Browser viewer = ConsoleScreensTest.givenLoggedIn(ConsoleLoginTest.givenUser("viewer"));
        List<String> lines = new CopyOnWriteArrayList<>();
        // a stream opened without the page's fingerprint sends its region at once
        read(base, viewer, "/console/alarms/stream?state=active", lines);
        await().atMost(Duration.ofSeconds(20)).until(() -> lines.contains("event:alarms"));
        // when an alarm is raised
        String kind = "live.test-" + java.util.UUID.randomUUID().toString().substring(0, 6);
        events.record(null, kind, "alarm", Map.of("reason", "live test"));
        // then "what is wrong now" is pushed with it
        await().atMost(Duration.ofSeconds(20))
                .until(() -> String.join("\n", lines).contains(kind));
        assertThat(String.join("\n", lines)).contains("What is wrong now");
    }

    @Test
    void shouldPushAnAlarmRaisedBetweenThePageAndItsStream() throws Exception {
        // given the alarms page, rendered before the alarm (a loaded gateway's browser connects a second or more later)
        Browser viewer = ConsoleScreensTest.givenLoggedIn(ConsoleLoginTest.givenUser("viewer"));
        String stream = streamOf(
                viewer.get("/console/alarms").then().statusCode(200).extract().asString());
        assertThat(stream).startsWith("/console/alarms/stream?").contains("shown=");
        // when an alarm is raised before the page's stream opens
        String kind = "live.between-" + java.util.UUID.randomUUID().toString().substring(0, 6);
        events.record(null, kind, "alarm", Map.of("reason", "between page and stream"));
        List<String> lines = new CopyOnWriteArrayList<>();
        read(base, viewer, stream, lines);
        // then the stream's first refresh pushes it (before: only remembered, shown at the next change, if any)
        await().atMost(Duration.ofSeconds(20))
                .until(() -> String.join("\n", lines).contains(kind));
        assertThat(lines).contains("event:alarms");
    }

    @Test
    void shouldPushTilesChangedBetweenThePageAndItsStream() throws Exception {
        // given the Overview page
        Browser viewer = ConsoleScreensTest.givenLoggedIn(ConsoleLoginTest.givenUser("viewer"));
        String stream =
                streamOf(viewer.get("/console").then().statusCode(200).extract().asString());
        assertThat(stream).startsWith("/console/stream?shown=");
        // when a device is registered before the page's stream opens
        io.restassured.RestAssured.given()
                .header("Authorization", "Bearer " + ConsoleLoginTest.TOKEN)
                .contentType(io.restassured.http.ContentType.JSON)
                .body(Map.of(
                        "id",
                        "between-" + java.util.UUID.randomUUID().toString().substring(0, 8),
                        "type",
                        "sensor"))
                .post("/api/v1/devices")
                .then()
                .statusCode(201);
        List<String> lines = new CopyOnWriteArrayList<>();
        read(base, viewer, stream, lines);
        // then the first refresh pushes the tiles
        await().atMost(Duration.ofSeconds(20)).until(() -> lines.contains("event:tiles"));
    }

    @Test
    void shouldFingerprintTheSameRegionTheSameAndAnyChangeOtherwise() {
        assertThat(LiveStream.fingerprint("<p>2 active</p>")).isEqualTo(LiveStream.fingerprint("<p>2 active</p>"));
        assertThat(LiveStream.fingerprint("<p>2 active</p>"))
                .isNotEqualTo(LiveStream.fingerprint("<p>3 active</p>"))
                .matches("[A-Za-z0-9_-]{22}");
    }

    /** The page's live-region stream, as htmx's SSE extension reads it from {@code sse-connect}. */
    private static String streamOf(String html) {
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("sse-connect=\"([^\"]+)\"").matcher(html);
        assertThat(m.find()).as("sse-connect in the page").isTrue();
        return m.group(1).replace("&amp;", "&");
    }

    /** Reads the stream's lines in the background; the future completes when the server ends the stream. */
    static CompletableFuture<Void> read(URL base, Browser browser, String path, List<String> lines) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base.toString()).resolve(path))
                .header("Accept", "text/event-stream")
                .header(
                        "Cookie",
                        ConsoleAuthFilter.COOKIE + "=" + browser.session + "; " + BearerCsrfExemption.CSRF_COOKIE + "="
                                + browser.csrfCookie)
                .build();
        return HttpClient.newHttpClient()
                .sendAsync(request, HttpResponse.BodyHandlers.ofInputStream())
                .thenAccept(response -> {
                    lines.add("status:" + response.statusCode());
                    try (InputStream body = response.body();
                            BufferedReader reader =
                                    new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = reader.readLine()) != null) {
                            lines.add(line.replace("event: ", "event:"));
                        }
                    } catch (java.io.IOException e) {
                        lines.add("closed:" + e.getMessage());
                    }
                });
    }
}
