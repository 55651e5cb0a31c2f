// GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
//
// What a JVM makes of keystores, as the tests' independent judge:
//
//   java TrustedCertificates.java TYPE PASSWORD PATH [TYPE PASSWORD PATH ...]
//
// PASSWORD "-" means none, as a JVM reads its cacerts when no
// javax.net.ssl.trustStorePassword is set. For each store, one JSON line:
//   trusted           aliases of the trusted certificate entries, sorted, as
//                     KeyStore.load(in, password) sees them;
//   accepted_issuers  how many CAs the default TrustManagerFactory accepts:
//                     without a password, the JVM's own way, through the
//                     javax.net.ssl.trustStore and trustStoreType properties
//                     and no trustStorePassword; with one, from the store
//                     loaded with it;
//   error             instead of the others, when the store cannot be read.
// Several stores are judged in one JVM start: the JVM reads the
// javax.net.ssl properties again when the store's path changes. It does not
// when only the password does, which is why a password goes through
// KeyStore.load instead.

import java.io.FileInputStream;
import java.io.InputStream;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

public class TrustedCertificates {
    public static void main(String[] args) {
        if (args.length == 0 || args.length % 3 != 0) {
            System.err.println("usage: TrustedCertificates TYPE PASSWORD PATH [TYPE PASSWORD PATH ...]");
            System.exit(2);
        }
        for (int i = 0; i < args.length; i += 3) {
            System.out.println(judge(args[i], "-".equals(args[i + 1]) ? null : args[i + 1], args[i + 2]));
        }
    }

    static String judge(String type, String password, String path) {
        StringBuilder out = new StringBuilder("{\"path\": ").append(quote(path));
        try {
            List<String> trusted = trustedAliases(type, password, path);
            out.append(", \"trusted\": [");
            for (int i = 0; i < trusted.size(); i++) {
                out.append(i == 0 ? "" : ", ").append(quote(trusted.get(i)));
            }
            out.append("], \"accepted_issuers\": ").append(acceptedIssuers(type, password, path));
        } catch (Exception e) {
            out.append(", \"error\": ").append(quote(e.toString()));
        }
        return out.append('}').toString();
    }

    static List<String> trustedAliases(String type, String password, String path) throws Exception {
        KeyStore store = KeyStore.getInstance(type);
        try (InputStream in = new FileInputStream(path)) {
            store.load(in, password == null ? null : password.toCharArray());
        }
        List<String> trusted = new ArrayList<>();
        for (String alias : Collections.list(store.aliases())) {
            if (store.isCertificateEntry(alias)) {
                trusted.add(alias);
            }
        }
        Collections.sort(trusted);
        return trusted;
    }

    static int acceptedIssuers(String type, String password, String path) throws Exception {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        if (password == null) {
            System.setProperty("javax.net.ssl.trustStore", path);
            System.setProperty("javax.net.ssl.trustStoreType", type);
            System.clearProperty("javax.net.ssl.trustStorePassword");
            factory.init((KeyStore) null);
        } else {
            KeyStore store = KeyStore.getInstance(type);
            try (InputStream in = new FileInputStream(path)) {
                store.load(in, password.toCharArray());
            }
            factory.init(store);
        }
        int count = 0;
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager) {
                count += ((X509TrustManager) manager).getAcceptedIssuers().length;
            }
        }
        return count;
    }

    static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
