package dev.mecgw.app.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;

/**
 * Issue 19 in a real browser against the packaged gateway: first login as {@code admin} with the password
 * from its file, the forced password change, every screen of the navigation, a CSRF-less post refused, logout.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleLoginIT extends ConsoleBrowser {

    @Test
    @Order(1)
    void shouldForcePasswordChangeWhenAdminLogsInFirstTime() throws Exception {
        // given the login page
        open("/console");
        waitUntil(d -> d.getCurrentUrl().contains("/console/login"));
        screenshot("login");
        // when
        loginAsAdmin();
        // then
        assertThat(driver.getCurrentUrl()).endsWith("/console");
        assertThat(byId("current-user").getText()).contains("admin").contains("operator");
    }

    @Test
    @Order(2)
    void shouldShowEveryScreenOfTheNavigationWhenLoggedIn() {
        for (String screen : new String[] {"Overview", "Devices", "Alarms", "Cameras", "Updates", "Sync"}) {
            driver.findElement(By.linkText(screen)).click();
            waitUntil(d -> d.findElement(By.cssSelector("nav a[aria-current=page]"))
                    .getText()
                    .equals(screen));
        }
    }

    @Test
    @Order(3)
    void shouldRefusePostWithoutCsrfTokenWhenSessionIsValid() throws Exception {
        // given the browser's session cookie (HttpOnly: read through the driver, as a forging site could not)
        String session =
                driver.manage().getCookieNamed(ConsoleAuthFilter.COOKIE).getValue();
        // when a form post arrives without the token
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(url("/console/logout")))
                                .header("Cookie", ConsoleAuthFilter.COOKIE + "=" + session)
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString("x=1"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        // then
        assertThat(response.statusCode()).isEqualTo(400);
        open("/console");
        assertThat(byId("current-user").getText()).contains("admin");
    }

    @Test
    @Order(4)
    void shouldReturnToLoginWhenLoggedOut() {
        // when
        byId("logout").click();
        // then
        waitUntil(d -> d.getCurrentUrl().contains("/console/login"));
        open("/console/alarms");
        waitUntil(d -> d.getCurrentUrl().contains("/console/login?next="));
    }
}
