// A stand-in for the original's agent runtime, started through RUNNER_COMMAND: it uses only the environment
// the server gives a runner and speaks the original's protocol (signed workspace/documents fetches, the model
// through MODEL_BASE_URL's /responses, signed CloudEvents out of order, heartbeat, finalize). JDK only.
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

public class SinkProtocolRuntime {
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static String secret;

    public static void main(String[] args) throws Exception {
        String sink = System.getenv("APPSTRATE_SINK_URL");
        secret = System.getenv("APPSTRATE_SINK_SECRET");
        String run = sink.substring(0, sink.length() - "/events".length());
        Path ws = Path.of(System.getenv("WORKSPACE_DIR"));
        long now = System.currentTimeMillis() / 1000;
        StringBuilder report = new StringBuilder();
        report.append("unsigned=").append(get(run + "/workspace", null, 0).statusCode()).append('\n');
        report.append("wrong=").append(get(run + "/workspace", "not-the-secret", now).statusCode()).append('\n');
        report.append("stale=").append(get(run + "/workspace", secret, now - 600).statusCode()).append('\n');
        HttpResponse<byte[]> bundle = get(run + "/workspace", secret, now);
        report.append("signed=").append(bundle.statusCode()).append('\n');
        Files.write(ws.resolve("agent-package.afps"), bundle.body());
        report.append("documents=").append(get(run + "/documents", secret, now).statusCode()).append('\n');

        String body = "{\"model\":\"" + System.getenv("MODEL_ID") + "\",\"input\":\"ping\",\"stream\":true}";
        HttpResponse<byte[]> model = HTTP.send(HttpRequest.newBuilder(URI.create(System.getenv("MODEL_BASE_URL") + "/responses"))
                .header("Authorization", "Bearer " + System.getenv("MODEL_API_KEY")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
        report.append("model=").append(model.statusCode()).append('\n');
        Files.write(ws.resolve("responses.txt"), model.body());

        // the second event first: the server buffers it until the first arrives
        report.append("event2=").append(event(sink, 2, "second")).append('\n');
        report.append("event1=").append(event(sink, 1, "first")).append('\n');
        report.append("heartbeat=").append(post(sink + "/heartbeat", "{}", "application/json")).append('\n');
        Files.writeString(ws.resolve("report.txt"), report.toString());
        String result = "{\"status\":\"success\",\"output\":{\"answer\":42},\"usage\":{\"input_tokens\":5,\"output_tokens\":2}}";
        post(System.getenv("APPSTRATE_SINK_FINALIZE_URL"), result, "application/json");
        String after = "after=" + get(run + "/workspace", secret, System.currentTimeMillis() / 1000).statusCode() + "\n";
        Path tmp = ws.resolve("after.tmp");
        Files.writeString(tmp, after);
        Files.move(tmp, ws.resolve("after.txt"), StandardCopyOption.ATOMIC_MOVE);
    }

    static int event(String sink, int sequence, String message) throws Exception {
        String runId = System.getenv("AGENT_RUN_ID");
        String ce = "{\"specversion\":\"1.0\",\"type\":\"appstrate.progress\",\"source\":\"/afps/runs/" + runId + "\",\"id\":\""
                + UUID.randomUUID() + "\",\"time\":\"2026-01-01T00:00:00Z\",\"datacontenttype\":\"application/json\","
                + "\"data\":{\"message\":\"" + message + "\",\"level\":\"info\"},\"sequence\":" + sequence + "}";
        return post(sink, ce, "application/cloudevents+json");
    }

    static HttpResponse<byte[]> get(String url, String key, long timestamp) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
        if (key != null) {
            sign(b, key, timestamp, "");
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static int post(String url, String body, String type) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        sign(b, secret, System.currentTimeMillis() / 1000, body);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Standard Webhooks: v1,base64(HMAC-SHA256(secret as UTF-8, "id.timestamp.body")). */
    static void sign(HttpRequest.Builder b, String key, long timestamp, String body) throws Exception {
        String id = "msg_" + UUID.randomUUID();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String sig = Base64.getEncoder().encodeToString(mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
        b.header("webhook-id", id).header("webhook-timestamp", String.valueOf(timestamp)).header("webhook-signature", "v1," + sig);
    }
}
