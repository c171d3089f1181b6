package dev.mecgw.app.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Issue 19: console login, first-login password change, roles, CSRF and logout, over HTTP. */
@QuarkusTest
class ConsoleLoginTest {

    static final String TOKEN = "test-admin-token";
    private static final Pattern CSRF = Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"");

    @Test
    void shouldCreateAdminWithPasswordFileReadableByOwnerOnlyWhenGatewayStarts() throws Exception {
        // given the test gateway started with an empty console_users table
        Path file = Path.of("target/test-data", ConsoleAccess.ADMIN_PASSWORD_FILE);
        // then
        assertThat(file).exists();
        assertThat(Files.getPosixFilePermissions(file))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        given().header("Authorization", "Bearer " + TOKEN)
                .get("/api/v1/console/users")
                .then()
                .statusCode(200)
                .body("find { it.username == 'admin' }.role", equalTo("operator"));
    }

    @Test
    void shouldRedirectToLoginWhenNoSession() {
        given().redirects()
                .follow(false)
                .get("/console/alarms")
                .then()
                .statusCode(303)
                .header("Location", containsString("/console/login?next=%2Fconsole%2Falarms"));
    }

    @Test
    void shouldRequirePasswordChangeThenOpenConsoleWhenFirstLogin() {
        // given
        String user = givenUser("viewer");
        // when
        Browser browser = Browser.login(user, "first-password-1");
        // then the first page is the password form, and every other page redirects there
        assertThat(browser.location).endsWith("/console/password");
        browser.get("/console").then().statusCode(303).header("Location", endsWith("/console/password"));
        // when
        Response changed = browser.post(
                "/console/password",
                Map.of("current", "first-password-1", "password", "second-password-2", "confirm", "second-password-2"));
        // then
        changed.then().statusCode(303).header("Location", endsWith("/console"));
        browser.get("/console").then().statusCode(200).body(containsString(user));
    }

    @Test
    void shouldKeepNoCopyOfAPageInTheBrowserWhenItIsSent() {
        // given
        String user = givenUser("viewer");
        Browser browser = Browser.login(user, "first-password-1");
        // then the login form (it carries a CSRF token) and a page of the site are never stored by the browser
        given().get("/console/login").then().statusCode(200).header("Cache-Control", equalTo("no-store"));
        browser.get("/console/password").then().statusCode(200).header("Cache-Control", equalTo("no-store"));
    }

    @Test
    void shouldRefuseWhenPostHasNoCsrfToken() {
        // given
        String user = givenUser("operator");
        Browser browser = Browser.login(user, "first-password-1");
        // when
        Response response = given().redirects()
                .follow(false)
                .cookie(ConsoleAuthFilter.COOKIE, browser.session)
                .cookie(BearerCsrfExemption.CSRF_COOKIE, browser.csrfCookie)
                .contentType(ContentType.URLENC)
                .formParams(
                        Map.of("current", "first-password-1", "password", "x-password-22", "confirm", "x-password-22"))
                .post("/console/password");
        // then quarkus-rest-csrf refuses it before the resource runs
        response.then().statusCode(400);
    }

    @Test
    void shouldRefuseLoginWhenTooManyFailures() {
        // given
        String user = givenUser("viewer");
        for (int i = 0; i < 5; i++) {
            assertThat(Browser.attempt(user, "wrong-password-" + i)).contains("error=credentials");
        }
        // when the right password comes after the limit
        String location = Browser.attempt(user, "first-password-1");
        // then
        assertThat(location).contains("error=throttled");
    }

    @Test
    void shouldEndSessionWhenLoggedOut() {
        // given
        String user = givenUser("operator");
        Browser browser = Browser.login(user, "first-password-1");
        // when
        browser.post("/console/logout", Map.of()).then().statusCode(303).header("Location", endsWith("/console/login"));
        // then the old cookie opens nothing any more
        browser.get("/console/password")
                .then()
                .statusCode(303)
                .header("Location", containsString("/console/login?next="));
    }

    @Test
    void shouldKeepAdminTokenApiWorkingWhenConsoleIsPresent() {
        given().header("Authorization", "Bearer " + TOKEN)
                .contentType(ContentType.JSON)
                .body("{\"username\":\"x\",\"role\":\"boss\",\"password\":\"long-enough-123\"}")
                .post("/api/v1/console/users")
                .then()
                .statusCode(400)
                .body(containsString("role"));
    }

    static String givenUser(String role) {
        String name = "u-" + UUID.randomUUID().toString().substring(0, 8);
        given().header("Authorization", "Bearer " + TOKEN)
                .contentType(ContentType.JSON)
                .body(Map.of("username", name, "role", role, "password", "first-password-1"))
                .post("/api/v1/console/users")
                .then()
                .statusCode(201);
        return name;
    }

    /** A cookie jar of one console user, as a browser keeps it. */
    static final class Browser {
        String session;
        String csrfCookie;
        String location;

        static String attempt(String user, String password) {
            Response page = given().get("/console/login");
            String cookie = page.getCookie(BearerCsrfExemption.CSRF_COOKIE);
            return given().redirects()
                    .follow(false)
                    .cookie(BearerCsrfExemption.CSRF_COOKIE, cookie)
                    .contentType(ContentType.URLENC)
                    .formParams(Map.of("username", user, "password", password, "csrf-token", token(page.asString())))
                    .post("/console/login")
                    .getHeader("Location");
        }

        static Browser login(String user, String password) {
            Browser browser = new Browser();
            Response page = given().get("/console/login");
            browser.csrfCookie = page.getCookie(BearerCsrfExemption.CSRF_COOKIE);
            Response login = given().redirects()
                    .follow(false)
                    .cookie(BearerCsrfExemption.CSRF_COOKIE, browser.csrfCookie)
                    .contentType(ContentType.URLENC)
                    .formParams(Map.of("username", user, "password", password, "csrf-token", token(page.asString())))
                    .post("/console/login");
            login.then().statusCode(303);
            assertThat(login.getDetailedCookie(ConsoleAuthFilter.COOKIE).isHttpOnly())
                    .isTrue();
            assertThat(login.getHeaders().getValues("Set-Cookie"))
                    .filteredOn(header -> header.startsWith(ConsoleAuthFilter.COOKIE + "="))
                    .singleElement()
                    .asString()
                    .contains("SameSite=Strict", "HttpOnly", "Path=/console");
            browser.session = login.getCookie(ConsoleAuthFilter.COOKIE);
            browser.location = login.getHeader("Location");
            return browser;
        }

        Response get(String path) {
            return given().redirects()
                    .follow(false)
                    .cookie(ConsoleAuthFilter.COOKIE, session)
                    .cookie(BearerCsrfExemption.CSRF_COOKIE, csrfCookie)
                    .get(path);
        }

        Response post(String path, Map<String, String> form) {
            Map<String, String> fields = new java.util.HashMap<>(form);
            fields.put("csrf-token", csrfCookie);
            return given().redirects()
                    .follow(false)
                    .cookie(ConsoleAuthFilter.COOKIE, session)
                    .cookie(BearerCsrfExemption.CSRF_COOKIE, csrfCookie)
                    .contentType(ContentType.URLENC)
                    .formParams(fields)
                    .post(path);
        }

        static String token(String html) {
            Matcher m = CSRF.matcher(html);
            assertThat(m.find()).as("a CSRF field in %s", html).isTrue();
            return m.group(1);
        }
    }
}
