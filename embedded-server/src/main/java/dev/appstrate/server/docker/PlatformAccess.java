package dev.appstrate.server.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Network;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How sidecars reach this server, which stays on loopback: the shared {@code appstrate-egress}
 * network (created once, never removed), and on its gateway (this host's side of the bridge) one
 * {@link TcpRelay} per server port. The sidecar listens on 8080, 8081, … and relays to them, so the
 * agent's URLs {@code http://127.0.0.1:<port>} become {@code http://sidecar:<8080+i>}.
 * When the gateway is not on this host (Docker Desktop's VM), {@code host.docker.internal} is used.
 */
final class PlatformAccess implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PlatformAccess.class);
    static final int FIRST_SIDECAR_PORT = 8080;

    /**
     * @param relays     the sidecar's RELAYS env ("8080=host:port …")
     * @param extraHosts extra /etc/hosts entries for the sidecar
     * @param rewrites   loopback origin → sidecar origin, for the agent's environment
     */
    record Plan(String relays, List<String> extraHosts, Map<String, String> rewrites) {
        /** The agent's environment with every loopback server URL pointed at the sidecar. */
        Map<String, String> rewrite(Map<String, String> env) {
            Map<String, String> out = new LinkedHashMap<>();
            env.forEach((k, v) -> {
                String value = v;
                if (value != null) {
                    for (var r : rewrites.entrySet()) {
                        value = value.replace(r.getKey(), r.getValue());
                    }
                }
                out.put(k, value);
            });
            return out;
        }
    }

    private final DockerEngine engine;
    private final List<Integer> upstreamPorts;
    private final String platformApiUrl;
    private final List<TcpRelay> relays = new ArrayList<>();
    private Plan plan;

    /**
     * @param upstreamPorts  loopback ports of this server that agents call (the API port: sink and LLM proxy)
     * @param platformApiUrl PLATFORM_API_URL: when set, how containers reach the first port, no relay
     */
    PlatformAccess(DockerEngine engine, List<Integer> upstreamPorts, String platformApiUrl) {
        this.engine = engine;
        this.upstreamPorts = List.copyOf(upstreamPorts);
        this.platformApiUrl = platformApiUrl;
    }

    synchronized Plan plan() {
        if (plan == null) {
            plan = build();
        }
        return plan;
    }

    private Plan build() {
        String gateway = ensureEgressNetwork();
        InetAddress local = localAddress(gateway);
        List<String> relayList = new ArrayList<>();
        Map<String, String> rewrites = new LinkedHashMap<>();
        List<String> extraHosts = new ArrayList<>();
        for (int i = 0; i < upstreamPorts.size(); i++) {
            int port = upstreamPorts.get(i);
            int sidecarPort = FIRST_SIDECAR_PORT + i;
            String target;
            if (i == 0 && platformApiUrl != null) {
                URI u = URI.create(platformApiUrl);
                target = u.getHost() + ":" + (u.getPort() > 0 ? u.getPort() : "https".equals(u.getScheme()) ? 443 : 80);
                if ("host.docker.internal".equals(u.getHost())) {
                    extraHosts.add("host.docker.internal:host-gateway");
                }
            } else if (local != null) {
                try {
                    TcpRelay relay = new TcpRelay(local, new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                    relays.add(relay);
                    target = gateway + ":" + relay.port();
                } catch (IOException e) {
                    throw new IllegalStateException("Cannot open a relay for containers on " + gateway + ": " + e.getMessage(), e);
                }
            } else {
                // the engine runs elsewhere (Docker Desktop): its host alias reaches this machine's loopback
                target = "host.docker.internal:" + port;
                if (!extraHosts.contains("host.docker.internal:host-gateway")) {
                    extraHosts.add("host.docker.internal:host-gateway");
                }
            }
            relayList.add(sidecarPort + "=" + target);
            rewrites.put("http://127.0.0.1:" + port, "http://sidecar:" + sidecarPort);
            rewrites.put("http://localhost:" + port, "http://sidecar:" + sidecarPort);
        }
        Plan p = new Plan(String.join(" ", relayList), List.copyOf(extraHosts), rewrites);
        LOG.info("Containers reach the server through the sidecar relays={}", p.relays());
        return p;
    }

    /** Creates {@code appstrate-egress} when missing; returns its gateway address. */
    private String ensureEgressNetwork() {
        DockerClient d = engine.require();
        Network n = d.listNetworksCmd().withNameFilter(DockerLabels.EGRESS_NETWORK).exec().stream()
                .filter(x -> DockerLabels.EGRESS_NETWORK.equals(x.getName())).findFirst().orElse(null);
        if (n == null) {
            try {
                d.createNetworkCmd().withName(DockerLabels.EGRESS_NETWORK).withDriver("bridge").withCheckDuplicate(true).exec();
                LOG.info("Created Docker network {}", DockerLabels.EGRESS_NETWORK);
            } catch (com.github.dockerjava.api.exception.ConflictException raced) {
                // another server created it meanwhile
            }
        }
        n = d.inspectNetworkCmd().withNetworkId(DockerLabels.EGRESS_NETWORK).exec();
        if (n.getIpam() == null || n.getIpam().getConfig() == null || n.getIpam().getConfig().isEmpty()) {
            return null;
        }
        return n.getIpam().getConfig().get(0).getGateway();
    }

    private static InetAddress localAddress(String gateway) {
        if (gateway == null) {
            return null;
        }
        try {
            InetAddress a = InetAddress.getByName(gateway);
            return NetworkInterface.getByInetAddress(a) != null ? a : null;
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public synchronized void close() {
        relays.forEach(TcpRelay::close);
        relays.clear();
        plan = null;
    }
}
