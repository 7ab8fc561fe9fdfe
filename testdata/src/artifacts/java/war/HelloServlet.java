// app.war: a servlet (WEB-INF/classes/app/HelloServlet.class) compiled by javac 17 against
// Debian's servlet API 4.0 (libservlet-api-java), mapped by WEB-INF/web.xml.
package app;

import java.io.IOException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

public class HelloServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain");
        resp.getWriter().println("ok app.war");
    }
}
