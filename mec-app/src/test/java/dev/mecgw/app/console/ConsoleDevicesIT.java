package dev.mecgw.app.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * Issue 19's Devices screens in a real browser against the packaged gateway: a device registered over REST is
 * listed, its page charts a reading published over MQTT, an operator's command reaches the device's MQTT
 * subscription, a viewer has no command form and its post is refused.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleDevicesIT extends ConsoleBrowser {

    private static final String DEVICE =
            "console-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String DEVICE_PASSWORD = "console-device-pass";
    /** Longest wait for an awaited outcome: a bound for a loaded machine, not a timing check. */
    private static final Duration BOUND = Duration.ofSeconds(30);

    private static final List<String> received = new CopyOnWriteArrayList<>();
    private static Mqtt5BlockingClient device;

    @AfterAll
    static void disconnectDevice() {
        if (device != null && device.getState().isConnected()) {
            device.disconnect();
        }
    }

    @Test
    @Order(1)
    void shouldListDeviceWhenRegisteredThroughRest() throws Exception {
        // given a device registered through the REST API
        HttpResponse<String> created = gateway.post(
                "/api/v1/devices",
                TOKEN,
                "{\"id\":\"" + DEVICE + "\",\"type\":\"sensor\",\"labels\":{\"line\":\"a\"},"
                        + "\"credentials\":{\"password\":\"" + DEVICE_PASSWORD + "\"}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        loginAsNewUser("viewer");
        // when the list is filtered by its type and label
        open("/console/devices?type=sensor&label=line%3Da");
        // then it shows, with its type and labels
        String row = waitUntil(d -> d.findElement(By.linkText(DEVICE)))
                .findElement(By.xpath("./ancestor::tr"))
                .getText();
        assertThat(row).contains("sensor").contains("line=a").contains("offline");
        screenshot("devices");
    }

    @Test
    @Order(2)
    void shouldHideDeviceWhenFilterDoesNotMatch() {
        // when
        open("/console/devices?type=camera");
        // then
        assertThat(byId("devices").getText()).doesNotContain(DEVICE);
    }

    @Test
    @Order(3)
    void shouldRefuseCommandWhenUserIsViewer() {
        // given the device page as a viewer
        driver.findElement(By.linkText("Devices")).click();
        open("/console/devices/" + DEVICE);
        assertThat(byId("credentials").getText()).contains("set");
        // then there is no command form
        assertThat(driver.findElements(By.id("send-command"))).isEmpty();
        // and a form post with a valid session and CSRF token is refused
        assertThat(postCommandFromPage("reboot")).isEqualTo(403L);
    }

    @Test
    @Order(4)
    void shouldChartReadingWhenDevicePublishesOverMqtt() throws Exception {
        // given an operator on the device's page, and the device connected
        loginAsNewUser("operator");
        open("/console/devices/" + DEVICE);
        byId("chart");
        device = connectedDevice();
        // (a mark on this page's window: gone if the page were loaded again)
        ((JavascriptExecutor) driver).executeScript("window.mecgwSamePage = true;");
        // when it publishes a reading
        device.publishWith()
                .topic("devices/" + DEVICE + "/telemetry")
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload("{\"temperature\":21.5}".getBytes(StandardCharsets.UTF_8))
                .send();
        // then the open page's chart shows it, pushed over SSE without a reload (issue 19 asks for 2 s: a latency
        // goal for a quiet machine, not an assertion under CI load; BOUND only ends a wait that would never succeed)
        await().ignoreExceptions()
                .atMost(BOUND)
                .until(() -> byId("latest-reading").getText().contains("temperature=21.5"));
        assertThat(((JavascriptExecutor) driver).executeScript("return window.mecgwSamePage === true;"))
                .isEqualTo(true);
        assertThat(byId("chart").getAttribute("data-points")).isEqualTo("1");
        // the chart sits below the fold at 1280x720: show it in the screenshot
        ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView()", byId("chart-h"));
        screenshot("device");
    }

    @Test
    @Order(5)
    void shouldDeliverCommandWhenOperatorSendsIt() {
        // given the device subscribed to its commands
        device.toAsync()
                .subscribeWith()
                .topicFilter("devices/" + DEVICE + "/commands/#")
                .qos(MqttQos.AT_LEAST_ONCE)
                .callback(publish -> received.add(describe(publish)))
                .send()
                .join();
        // when the operator sends one from the page
        byId("command-name").sendKeys("reboot");
        byId("command-payload").sendKeys("{\"delay\":5}");
        byId("send-command").click();
        // then the device receives it
        await().atMost(BOUND).until(() -> received.contains("devices/" + DEVICE + "/commands/reboot {\"delay\":5}"));
        waitUntil(d -> d.getCurrentUrl().contains("sent="));
    }

    @Test
    @Order(6)
    void shouldShowTilesWhenOverviewOpens() throws Exception {
        // when
        open("/console");
        // then
        // (the live region may swap the tiles at any moment: look them up again until they say it)
        await().ignoreExceptions()
                .atMost(BOUND)
                .until(() -> byId("tile-devices").getText().contains("1 / 1"));
        // and the tiles follow the site over SSE, without a reload: a second device is registered
        HttpResponse<String> created =
                gateway.post("/api/v1/devices", TOKEN, "{\"id\":\"" + DEVICE + "-2\",\"type\":\"sensor\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        await().ignoreExceptions()
                .atMost(BOUND)
                .until(() -> byId("tile-devices").getText().contains("1 / 2"));
        screenshot("overview");
    }

    @Test
    @Order(7)
    void shouldShowFirmwareAndPresenceWhenListIsFilteredOnline() throws Exception {
        // given the device reports its firmware in its twin
        device.publishWith()
                .topic("devices/" + DEVICE + "/twin/reported")
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload("{\"firmware\":{\"version\":\"2.4.1\",\"state\":\"idle\",\"result\":0}}"
                        .getBytes(StandardCharsets.UTF_8))
                .send();
        // when the list shows online devices only
        await().atMost(BOUND).until(() -> {
            open("/console/devices?online=true");
            return byId("devices").getText().contains("2.4.1");
        });
        // then the device's row has its firmware, presence and last seen
        String row = byId("devices")
                .findElement(By.linkText(DEVICE))
                .findElement(By.xpath("./ancestor::tr"))
                .getText();
        assertThat(row).contains("online", "2.4.1").doesNotContain("never");
        screenshot("devices");
        // and offline devices only do not list it
        new Select(byId("filter-online")).selectByValue("false");
        byId("apply-device-filters").click();
        waitUntil(d -> d.getCurrentUrl().contains("online=false"));
        assertThat(byId("devices").findElements(By.linkText(DEVICE))).isEmpty();
        assertThat(byId("devices").findElements(By.linkText(DEVICE + "-2"))).hasSize(1);
    }

    @Test
    @Order(8)
    void shouldSendDesiredStateWhenOperatorEditsIt() {
        // given the device follows its desired twin
        device.toAsync()
                .subscribeWith()
                .topicFilter("devices/" + DEVICE + "/twin/desired")
                .qos(MqttQos.AT_LEAST_ONCE)
                .callback(publish -> received.add(describe(publish)))
                .send()
                .orTimeout(BOUND.toSeconds(), TimeUnit.SECONDS)
                .join();
        open("/console/devices/" + DEVICE);
        // when the operator replaces the desired state on the page
        WebElement desired = byId("desired-json");
        desired.clear();
        desired.sendKeys("{\"interval\":10}");
        byId("save-desired").click();
        // then the device receives it and the page shows it in the twin
        await().atMost(BOUND).until(() -> received.contains("devices/" + DEVICE + "/twin/desired {\"interval\":10}"));
        waitUntil(d -> d.getCurrentUrl().contains("desired="));
        assertThat(byId("twin").getText()).contains("\"interval\" : 10");
    }

    @Test
    @Order(9)
    void shouldBeLabelledAndKeyboardUsableWhenTabbing() {
        for (String page : List.of("/console", "/console/devices", "/console/devices/" + DEVICE, "/console/alarms")) {
            open(page);
            // every field has a label
            Object unlabelled = ((JavascriptExecutor) driver)
                    .executeScript("return Array.from(document.querySelectorAll("
                            + "'input:not([type=hidden]), select, textarea'))"
                            + ".filter(function (e) { return e.labels.length === 0 && !e.getAttribute('aria-label'); })"
                            + ".map(function (e) { return e.id || e.name; });");
            assertThat((List<?>) unlabelled)
                    .as("fields without a label on %s", page)
                    .isEmpty();
            // the first Tab reaches the skip link, Enter moves to the content
            driver.findElement(By.tagName("body")).sendKeys(Keys.TAB);
            WebElement focused = driver.switchTo().activeElement();
            assertThat(focused.getText()).isEqualTo("Skip to content");
            focused.sendKeys(Keys.ENTER);
            assertThat(driver.switchTo().activeElement().getAttribute("id")).isEqualTo("main");
        }
    }

    @Test
    @Order(10)
    void shouldFitWithoutSidewaysScrollingWhenScreenIsTabletOr1280() throws Exception {
        try {
            for (Dimension size : List.of(new Dimension(820, 1180), new Dimension(1280, 720))) {
                driver.manage().window().setSize(size);
                for (String page : List.of("/console", "/console/devices", "/console/devices/" + DEVICE)) {
                    open(page);
                    Object overflow = ((JavascriptExecutor) driver)
                            .executeScript("return document.documentElement.scrollWidth - window.innerWidth;");
                    assertThat(((Number) overflow).longValue())
                            .as("sideways overflow of %s at %s", page, size)
                            .isLessThanOrEqualTo(0);
                    if (size.getWidth() < 1280) {
                        String name =
                                page.equals("/console") ? "overview" : page.contains(DEVICE) ? "device" : "devices";
                        screenshot(name + "-tablet");
                    }
                }
            }
        } finally {
            driver.manage().window().setSize(new Dimension(1280, 720));
        }
    }

    /** Posts the command form through the browser's own session, with the CSRF token of the page's logout form. */
    private static Object postCommandFromPage(String name) {
        return ((JavascriptExecutor) driver)
                .executeAsyncScript(
                        "var done = arguments[arguments.length - 1];"
                                + "var token = document.querySelector('form input[type=hidden]');"
                                + "var body = new URLSearchParams();"
                                + "body.append(token.name, token.value); body.append('name', arguments[1]);"
                                + "fetch(arguments[0], {method: 'POST', body: body, redirect: 'manual'})"
                                + ".then(function (r) { done(r.status); });",
                        "/console/devices/" + DEVICE + "/commands",
                        name);
    }

    private static Mqtt5BlockingClient connectedDevice() {
        Mqtt5BlockingClient client = MqttClient.builder()
                .useMqttVersion5()
                .identifier(DEVICE)
                .serverHost("127.0.0.1")
                .serverPort(mqttPort)
                .buildBlocking();
        client.connectWith()
                .simpleAuth()
                .username(DEVICE)
                .password(DEVICE_PASSWORD.getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .send();
        return client;
    }

    private static String describe(Mqtt5Publish publish) {
        return publish.getTopic() + " "
                + StandardCharsets.UTF_8.decode(publish.getPayload().orElseThrow());
    }
}
