package dev.mecgw.app.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mecgw.app.console.ConsoleLoginTest.Browser;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 19 item 5: no console page loads more than 200 KB of assets, counted in bytes as served (every script,
 * stylesheet and image the page references, each fetched once).
 */
@QuarkusTest
class ConsoleAssetBudgetTest {

    /** The budget per page in bytes. */
    static final long BUDGET = 200 * 1024;

    private static final Pattern ASSET = Pattern.compile(
            "<(?:script[^>]*\\ssrc|link[^>]*\\srel=\"stylesheet\"[^>]*\\shref|link[^>]*\\shref(?=[^>]*rel=\"stylesheet\")"
                    + "|img[^>]*\\ssrc)=\"([^\"]+)\"");

    @Test
    void shouldLoadAtMost200KbOfAssetsWhenAnyPageIsOpened() {
        // given a device to show and a logged-in viewer
        String device = "budget-" + UUID.randomUUID().toString().substring(0, 8);
        given().header("Authorization", "Bearer " + ConsoleLoginTest.TOKEN)
                .contentType(ContentType.JSON)
                .body(Map.of("id", device, "type", "sensor"))
                .post("/api/v1/devices")
                .then()
                .statusCode(201);
        Browser viewer = ConsoleScreensTest.givenLoggedIn(ConsoleLoginTest.givenUser("viewer"));
        for (String page : new String[] {
            "/console",
            "/console/devices",
            "/console/devices/" + device,
            "/console/alarms",
            "/console/cameras",
            "/console/updates",
            "/console/sync"
        }) {
            // when
            String html = viewer.get(page).then().statusCode(200).extract().asString();
            Set<String> assets = assets(html);
            long bytes = 0;
            for (String asset : assets) {
                bytes += viewer.get(asset).then().statusCode(200).extract().asByteArray().length;
            }
            // then
            assertThat(assets).as("assets of %s", page).isNotEmpty();
            assertThat(bytes).as("bytes of the assets %s of %s", assets, page).isLessThanOrEqualTo(BUDGET);
        }
        // the login page too, before any session
        String login =
                given().get("/console/login").then().statusCode(200).extract().asString();
        long bytes = assets(login).stream()
                .mapToLong(a -> given().get(a).then().statusCode(200).extract().asByteArray().length)
                .sum();
        assertThat(bytes).as("bytes of the login page's assets").isLessThanOrEqualTo(BUDGET);
    }

    @Test
    void shouldFindScriptsStylesheetsAndImagesWhenPageReferencesThem() {
        String html = "<link rel=\"stylesheet\" href=\"/a.css\"><script src=\"/b.js\" defer></script>"
                + "<img alt=\"x\" src=\"/c.jpg\"><link href=\"/d.css\" rel=\"stylesheet\"><a href=\"/e\">e</a>";
        assertThat(assets(html)).containsExactlyInAnyOrder("/a.css", "/b.js", "/c.jpg", "/d.css");
    }

    static Set<String> assets(String html) {
        Set<String> found = new LinkedHashSet<>();
        Matcher m = ASSET.matcher(html);
        while (m.find()) {
            found.add(m.group(1).replace("&amp;", "&"));
        }
        return found;
    }
}
