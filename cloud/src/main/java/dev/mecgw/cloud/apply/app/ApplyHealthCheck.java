package dev.mecgw.cloud.apply.app;

import dev.mecgw.cloud.apply.KafkaApplier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready while every applier polls; DOWN while one retries a failed database write or has stopped. */
@Readiness
@ApplicationScoped
public class ApplyHealthCheck implements HealthCheck {

    @Inject
    ApplyRuntime runtime;

    @Override
    public HealthCheckResponse call() {
        List<KafkaApplier.State> states = runtime.states();
        boolean up = !runtime.enabled()
                || (!states.isEmpty() && states.stream().allMatch(s -> s == KafkaApplier.State.RUNNING));
        return HealthCheckResponse.named("cloud-applier")
                .status(up)
                .withData("states", states.toString())
                .build();
    }
}
