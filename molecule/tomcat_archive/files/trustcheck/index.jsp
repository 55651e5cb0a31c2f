<%@ page contentType="text/plain" import="java.net.URL,javax.net.ssl.HttpsURLConnection,javax.net.ssl.SSLHandshakeException" %><%
// Connects from this JVM, with its own default trust settings, to the URL given.
String target = request.getParameter("url");
try {
    HttpsURLConnection c = (HttpsURLConnection) new URL(target).openConnection();
    c.setConnectTimeout(5000);
    c.setReadTimeout(5000);
    out.print("TRUSTED " + c.getResponseCode());
} catch (SSLHandshakeException e) {
    out.print("UNTRUSTED " + e.getMessage());
} catch (Exception e) {
    out.print("ERROR " + e);
}
%>
