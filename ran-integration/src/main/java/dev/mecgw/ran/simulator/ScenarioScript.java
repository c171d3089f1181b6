package dev.mecgw.ran.simulator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A scripted scenario, one step a line; {@code #} starts a comment. Steps:
 * <pre>
 * attach &lt;ipv4&gt; &lt;externalId&gt; &lt;sst&gt;[:&lt;sd&gt;] &lt;cellId&gt; [&lt;groupId&gt;]
 * move &lt;ipv4&gt; &lt;cellId&gt;
 * lose &lt;ipv4&gt;
 * regain &lt;ipv4&gt;
 * qos-refuse &lt;qosReference&gt;
 * qos-grant &lt;qosReference&gt;
 * terminate &lt;appInstanceId&gt;
 * cancel-monitoring        (the NEF cancels every monitoring subscription, cancelInd)
 * forget-monitoring        (the NEF loses them silently; updates get 404)
 * wait &lt;ISO-8601 or seconds, e.g. 2s&gt;
 * </pre>
 */
public final class ScenarioScript {

    /** One parsed step: the verb and its arguments. */
    public record Step(int line, String verb, List<String> args) {}

    private final List<Step> steps;

    private ScenarioScript(List<Step> steps) {
        this.steps = List.copyOf(steps);
    }

    /**
     * Parses a script.
     *
     * @throws IllegalArgumentException naming the line of the first malformed step
     */
    public static ScenarioScript parse(String text) {
        List<Step> steps = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new StringReader(text))) {
            int number = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                number++;
                String content = line.replaceFirst("#.*", "").trim();
                if (!content.isEmpty()) {
                    steps.add(step(number, content));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return new ScenarioScript(steps);
    }

    /** The steps in order. */
    public List<Step> steps() {
        return steps;
    }

    /**
     * Plays the script against a simulator on the calling thread.
     *
     * @param log receives one line per step
     */
    public void play(NetworkSimulator simulator, java.util.function.Consumer<String> log) throws InterruptedException {
        for (Step step : steps) {
            log.accept("step " + step.line() + ": " + step.verb() + " " + String.join(" ", step.args()));
            List<String> a = step.args();
            switch (step.verb()) {
                case "attach" -> simulator.attach(ue(a));
                case "move" -> simulator.moveToCell(a.get(0), a.get(1));
                case "lose" -> simulator.loseConnectivity(a.get(0));
                case "regain" -> simulator.regainConnectivity(a.get(0));
                case "qos-refuse" -> simulator.refuseQos(a.get(0));
                case "qos-grant" -> simulator.grantQos(a.get(0));
                case "terminate" -> simulator.requestAppTermination(a.get(0));
                case "cancel-monitoring" -> simulator.cancelMonitoring();
                case "forget-monitoring" -> simulator.forgetMonitoring();
                case "wait" -> Thread.sleep(duration(a.get(0)).toMillis());
                default -> throw new IllegalStateException("unreachable: " + step.verb());
            }
        }
    }

    private static Step step(int number, String content) {
        String[] words = content.split("\\s+");
        List<String> args = List.of(words).subList(1, words.length);
        int expected = switch (words[0]) {
            case "attach" -> args.size() == 5 ? 5 : 4;
            case "move" -> 2;
            case "lose", "regain", "qos-refuse", "qos-grant", "terminate", "wait" -> 1;
            case "cancel-monitoring", "forget-monitoring" -> 0;
            default -> throw new IllegalArgumentException("line " + number + ": unknown step " + words[0]);
        };
        if (args.size() != expected) {
            throw new IllegalArgumentException(
                    "line " + number + ": " + words[0] + " takes " + expected + " arguments, got " + args.size());
        }
        if (words[0].equals("wait")) {
            duration(args.get(0));
        }
        return new Step(number, words[0], args);
    }

    private static SimulatedUe ue(List<String> a) {
        String[] slice = a.get(2).split(":", 2);
        return new SimulatedUe(
                a.get(0),
                a.get(1),
                a.size() == 5 ? a.get(4) : null,
                Integer.parseInt(slice[0]),
                slice.length == 2 ? slice[1] : null,
                a.get(3),
                true);
    }

    private static Duration duration(String text) {
        try {
            return text.startsWith("P") ? Duration.parse(text) : Duration.parse("PT" + text.toUpperCase());
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("not a duration: " + text);
        }
    }
}
