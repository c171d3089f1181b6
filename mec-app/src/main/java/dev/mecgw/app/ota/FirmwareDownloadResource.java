package dev.mecgw.app.ota;

import dev.mecgw.app.artifacts.Artifact;
import dev.mecgw.app.problem.ErrorKind;
import dev.mecgw.app.problem.GatewayException;
import dev.mecgw.app.problem.Problem;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /fw/{name}}: the HTTP twin of the CoAP firmware resource, for MQTT devices (issue 18 item 1,
 * docs/ota.md). Outside {@code /api}, so the admin token does not apply: the device authenticates with HTTP Basic
 * as itself. Serves one {@code Range} (206 with Content-Range; 416 with {@code bytes * /size} for a range it
 * cannot serve), strong ETag = the quoted SHA-256, {@code If-Range} honoured, so that a device resumes where it
 * stopped and notices a replaced image.
 */
@Path("/fw")
@Tag(name = "ota")
@Blocking
public class FirmwareDownloadResource {

    private final FirmwareDownloads downloads;

    public FirmwareDownloadResource(FirmwareDownloads downloads) {
        this.downloads = downloads;
    }

    /** The artifact, or the requested byte range of it. */
    @GET
    @Path("{name}")
    public Response get(
            @PathParam("name") String name,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam("Range") String range,
            @HeaderParam("If-Range") String ifRange) {
        Artifact artifact;
        try {
            artifact = downloads.offered(authorization, name);
        } catch (GatewayException e) {
            if (e.kind() != ErrorKind.UNAUTHORIZED) {
                throw e;
            }
            return problem(401, "Unauthorized", e.getMessage(), name)
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"mecgw-devices\"")
                    .build();
        }
        String etag = "\"" + artifact.sha256() + "\"";
        // RFC 9110 §13.1.5: a stale validator means the client's part belongs to another image: send it all.
        String effective = ifRange == null || ifRange.strip().equals(etag) ? range : null;
        ByteRange bytes;
        try {
            bytes = ByteRange.of(effective, artifact.size());
        } catch (ByteRange.NotSatisfiable e) {
            return problem(416, "Range Not Satisfiable", e.getMessage(), name)
                    .header("Content-Range", "bytes */" + artifact.size())
                    .build();
        }
        StreamingOutput body = out -> downloads.write(artifact, bytes, out);
        Response.ResponseBuilder response = Response.status(bytes.partial() ? 206 : 200)
                .entity(body)
                .type(MediaType.APPLICATION_OCTET_STREAM_TYPE)
                .header(HttpHeaders.ETAG, etag)
                .header("Accept-Ranges", "bytes")
                .header(HttpHeaders.CONTENT_LENGTH, bytes.length());
        if (bytes.partial()) {
            response.header("Content-Range", bytes.contentRange(artifact.size()));
        }
        return response.build();
    }

    private static Response.ResponseBuilder problem(int status, String title, String detail, String name) {
        return Response.status(status)
                .type(Problem.MEDIA_TYPE)
                .entity(new Problem("about:blank", title, status, detail, "/fw/" + name, List.of()));
    }
}
