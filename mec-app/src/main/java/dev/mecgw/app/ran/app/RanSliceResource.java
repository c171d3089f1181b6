package dev.mecgw.app.ran.app;

import dev.mecgw.app.gateway.LifecyclePhase;
import dev.mecgw.app.ran.RanConfig;
import dev.mecgw.ran.identity.SlicePolicy;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * The slice policy in force ({@code mecgw.ran.slices.*}, rendered by the Ansible role from the inventory's
 * {@code gateway_slices}, issue 23). Checked at start whether or not the 5G integration is on, so that a bad
 * S-NSSAI or UE pool stops start-up with the entry's name instead of going unnoticed until the NEF is set.
 */
@Path("/api/v1/ran/slices")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "ran")
@SecurityRequirement(name = "adminToken")
public class RanSliceResource {

    private static final Logger LOG = Logger.getLogger(RanSliceResource.class);

    private final RanConfig config;

    public RanSliceResource(RanConfig config) {
        this.config = config;
    }

    /** The configured slices, by name. */
    @GET
    public List<SliceView> list() {
        return RanSlicePolicies.named(config).entrySet().stream()
                .map(e -> SliceView.of(e.getKey(), e.getValue()))
                .toList();
    }

    /** Fails start-up naming the entry when a slice setting is invalid. */
    static void check(@Observes @Priority(LifecyclePhase.Order.RAN_START) StartupEvent event, RanConfig config) {
        Map<String, SlicePolicy> slices = RanSlicePolicies.named(config);
        LOG.infof(
                "Slice policy: %s",
                slices.isEmpty()
                        ? "no slices"
                        : String.join(
                                ", ",
                                slices.entrySet().stream()
                                        .map(e ->
                                                e.getKey() + "=" + e.getValue().slice())
                                        .toList()));
    }

    /**
     * One slice as the API shows it.
     *
     * @param name the entry's name
     * @param snssai {@code <sst>} or {@code <sst>:<sd>}
     * @param ueSubnetCount number of UE address pools
     * @param allowedTypes device types allowed; empty allows every type
     * @param zeroTouch whether unknown SIMs are onboarded
     * @param defaultType type of zero-touch devices, or null
     * @param allowedTopics topic filters / paths allowed; empty means the front-ends' defaults
     */
    public record SliceView(
            String name,
            String snssai,
            int ueSubnetCount,
            List<String> allowedTypes,
            boolean zeroTouch,
            String defaultType,
            List<String> allowedTopics) {

        static SliceView of(String name, SlicePolicy policy) {
            return new SliceView(
                    name,
                    policy.slice().toString(),
                    policy.ueSubnets().size(),
                    List.copyOf(new TreeSet<>(policy.allowedTypes())),
                    policy.zeroTouch(),
                    policy.defaultType(),
                    policy.allowedTopics());
        }
    }
}
