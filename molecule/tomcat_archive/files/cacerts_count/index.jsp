<%@ page contentType="application/json" import="java.io.File,java.security.KeyStore,java.security.cert.Certificate,java.security.cert.X509Certificate,java.util.*,javax.net.ssl.*" %><%!
// The certificates a store shows when it is loaded without a password: all of
// them for a password-less PKCS#12 store, none for a protected one.
static Set<Certificate> readWithoutPassword(File file) throws Exception {
    KeyStore store = KeyStore.getInstance(file, (char[]) null);
    Set<Certificate> found = new HashSet<>();
    for (String alias : Collections.list(store.aliases())) {
        Certificate c = store.getCertificate(alias);
        if (c != null) found.add(c);
    }
    return found;
}
static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
}
%><%
// Trust as this JVM has it by default: its TrustManager over its own cacerts,
// which it reads without a password (no javax.net.ssl.trustStore* property).
TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
factory.init((KeyStore) null);
Set<Certificate> trusted = new HashSet<>();
for (TrustManager m : factory.getTrustManagers()) {
    if (m instanceof X509TrustManager) trusted.addAll(Arrays.asList(((X509TrustManager) m).getAcceptedIssuers()));
}
File cacerts = new File(System.getProperty("java.home"), "lib/security/cacerts");
Set<Certificate> shipped = readWithoutPassword(new File(request.getParameter("shipped")));
Set<Certificate> missing = new HashSet<>(shipped);
missing.removeAll(trusted);
List<String> added = new ArrayList<>();
for (Certificate c : trusted) {
    if (!shipped.contains(c)) added.add(quote(((X509Certificate) c).getSubjectX500Principal().getName()));
}
out.print("{\"java_home\": " + quote(System.getProperty("java.home"))
    + ", \"type\": " + quote(KeyStore.getInstance(cacerts, (char[]) null).getType())
    + ", \"shipped\": " + shipped.size()
    + ", \"trusted\": " + trusted.size()
    + ", \"read_without_password\": " + readWithoutPassword(cacerts).size()
    + ", \"missing\": " + missing.size()
    + ", \"added\": " + added + "}");
%>
