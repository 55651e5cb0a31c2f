// GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
//
// Opens HTTPS connections the way a web application in this JVM does: the
// default SSLContext and hostname verification, with the javax.net.ssl.*
// settings of the instance under test. Shipped compiled for Java 8 (make
// verify-class) and run as java -cp DIR TrustCheck, so that it needs no
// compiler in the JVM under test: one JVM start for all checks.
//
// Standard input, one instruction a line (so that passwords and credentials
// never reach a command line):
//   property NAME=VALUE            a system property, set before any TLS use
//   check NAME URL [AUTHORIZATION] a GET of URL, with that Authorization header
// Standard output: one JSON object per check, with no header value in it:
//   {"name": ..., "url": ..., "tls": true|false, "status": 200|null, "cause": ...}

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLException;

public class TrustCheck {
    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        List<String[]> checks = new ArrayList<>();
        String line;
        while ((line = in.readLine()) != null) {
            if (line.startsWith("property ")) {
                String pair = line.substring("property ".length());
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    System.setProperty(pair.substring(0, eq), pair.substring(eq + 1));
                }
            } else if (line.startsWith("check ")) {
                checks.add(line.substring("check ".length()).split(" ", 3));
            }
        }
        for (String[] check : checks) {
            System.out.println(run(check[0], check[1], check.length > 2 ? check[2] : null));
        }
    }

    private static String run(String name, String url, String authorization) {
        boolean tls = false;
        Integer status = null;
        String cause = "";
        try {
            HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
            connection.setConnectTimeout(10000);
            connection.setReadTimeout(20000);
            connection.setInstanceFollowRedirects(false);
            connection.setRequestMethod("GET");
            if (authorization != null) {
                connection.setRequestProperty("Authorization", authorization);
            }
            connection.connect();
            // connect() returns once the handshake, including the trust and
            // hostname checks, succeeded.
            tls = connection instanceof HttpsURLConnection;
            status = connection.getResponseCode();
            connection.disconnect();
        } catch (Exception e) {
            cause = describe(e);
        }
        return "{\"name\": " + quote(name) + ", \"url\": " + quote(url) + ", \"tls\": " + tls
                + ", \"status\": " + status + ", \"handshake_failed\": " + (cause.contains("SSL") || cause.contains("PKIX")
                || cause.contains("certificate")) + ", \"cause\": " + quote(cause) + "}";
    }

    private static String describe(Throwable error) {
        StringBuilder text = new StringBuilder(error.toString());
        for (Throwable cause = error.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            String more = cause.toString();
            if (text.indexOf(more) < 0) {
                text.append(" <- ").append(more);
            }
        }
        return text.length() > 600 ? text.substring(0, 600) + "..." : text.toString();
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
