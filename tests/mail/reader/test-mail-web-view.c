/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-mail-web-view.c: KontorMailWebView loads nothing remote unless allowed, runs no
 * script, follows no navigation and renders the message, checked against a local HTTP
 * server that counts every connection. */
#define _GNU_SOURCE  /* unshare() */
#define G_LOG_DOMAIN "kontor-mail-test"

#include "config.h"

#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <adwaita.h>
#include <webkit/webkit.h>

#include "kontor-mail-web-view.h"

#define CID_LOGO        "cid:logo@kontor.test"
#define LOAD_TIMEOUT_MS 60000 /* a web process started on a busy machine */
#define SETTLE_MS       500

/* ---- A server that counts ---- */

typedef struct
{
  GSocketService *service;
  guint16 port;
  guint connections;
  guint requests;
  GPtrArray *request_lines;
} Server;

static Server server;

static void
request_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GSocketConnection) connection = user_data;
  g_autoptr (GBytes) bytes =
    g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, NULL);
  static const char response[] = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n"
                                 "Connection: close\r\n\r\n";
  g_autofree char *text = NULL;

  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    return;

  server.requests++;
  text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_ptr_array_add (server.request_lines, g_strndup (text, strcspn (text, "\r\n")));
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)), response,
                             sizeof response - 1, NULL, NULL, NULL);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
}

static gboolean
incoming_cb (GSocketService *service,
             GSocketConnection *connection,
             GObject *source_object,
             gpointer user_data)
{
  /* Counted at accept: a preconnect sends no request at all. */
  server.connections++;
  g_input_stream_read_bytes_async (g_io_stream_get_input_stream (G_IO_STREAM (connection)), 8192,
                                   G_PRIORITY_DEFAULT, NULL, request_read_cb,
                                   g_object_ref (connection));
  return TRUE;
}

static void
server_start (void)
{
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) effective = NULL;
  g_autoptr (GError) error = NULL;

  server.service = g_socket_service_new ();
  g_socket_listener_add_address (G_SOCKET_LISTENER (server.service), address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &effective, &error);
  g_assert_no_error (error);
  server.port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  server.request_lines = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (server.service, "incoming", G_CALLBACK (incoming_cb), NULL);
  g_socket_service_start (server.service);
}

static void
server_reset (void)
{
  server.connections = 0;
  server.requests = 0;
  g_ptr_array_set_size (server.request_lines, 0);
}

static char *
server_describe (void)
{
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, "%u connections, %u requests", server.connections, server.requests);
  for (guint i = 0; i < server.request_lines->len; i++)
    g_string_append_printf (text, "%s%s", i == 0 ? ": " : ", ",
                            (char *) g_ptr_array_index (server.request_lines, i));
  return g_string_free (text, FALSE);
}

/* ---- The view under test ---- */

typedef struct
{
  GtkWindow *window;
  KontorMailWebView *view;
  WebKitWebView *web_view;
  GBytes *logo;
  guint cid_requests;
  guint blocked;
  guint loads;
  gboolean finished;
  GPtrArray *links;
} Fixture;

static GBytes *
make_logo_png (void)
{
  /* A solid block in a colour no theme uses, so a snapshot can find it. */
  enum
  {
    SIZE = 48
  };
  g_autofree guchar *pixels = g_malloc (SIZE * SIZE * 4);
  g_autoptr (GBytes) data = NULL;
  g_autoptr (GdkTexture) texture = NULL;

  for (guint i = 0; i < SIZE * SIZE; i++)
    {
      pixels[i * 4 + 0] = 0xe0;
      pixels[i * 4 + 1] = 0x1b;
      pixels[i * 4 + 2] = 0x24;
      pixels[i * 4 + 3] = 0xff;
    }
  data = g_bytes_new (pixels, SIZE * SIZE * 4);
  texture = gdk_memory_texture_new (SIZE, SIZE, GDK_MEMORY_R8G8B8A8, data, SIZE * 4);
  return gdk_texture_save_to_png_bytes (texture);
}

static GBytes *
resolve_cb (const char *cid_uri, char **mime_type, gpointer user_data)
{
  Fixture *f = user_data;

  f->cid_requests++;
  if (g_strcmp0 (cid_uri, CID_LOGO) != 0)
    return NULL;

  *mime_type = g_strdup ("image/png");
  return g_bytes_ref (f->logo);
}

static void
load_changed_cb (WebKitWebView *web_view, WebKitLoadEvent load_event, Fixture *f)
{
  if (load_event == WEBKIT_LOAD_FINISHED)
    {
      f->finished = TRUE;
      f->loads++;
    }
}

static void
blocked_cb (KontorMailWebView *view, Fixture *f)
{
  f->blocked++;
}

static void
link_activated_cb (KontorMailWebView *view, const char *uri, Fixture *f)
{
  g_ptr_array_add (f->links, g_strdup (uri));
}

static void
iterate_for (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < end)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2000);
    }
}

static gboolean
wait_for_flag (gboolean *flag, guint timeout_ms)
{
  gint64 end = g_get_monotonic_time () + timeout_ms * G_TIME_SPAN_MILLISECOND;

  while (!*flag && g_get_monotonic_time () < end)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2000);
    }
  return *flag;
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->logo = make_logo_png ();
  f->links = g_ptr_array_new_with_free_func (g_free);
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_title (f->window, "kontor-mail-web-view-test");
  gtk_window_set_default_size (f->window, 800, 600);
  f->view = KONTOR_MAIL_WEB_VIEW (g_object_ref_sink (kontor_mail_web_view_new ()));
  f->web_view = WEBKIT_WEB_VIEW (gtk_widget_get_first_child (GTK_WIDGET (f->view)));
  g_assert_true (WEBKIT_IS_WEB_VIEW (f->web_view));
  gtk_window_set_child (f->window, GTK_WIDGET (f->view));
  gtk_window_present (f->window);

  g_signal_connect (f->web_view, "load-changed", G_CALLBACK (load_changed_cb), f);
  g_signal_connect (f->view, "remote-content-blocked", G_CALLBACK (blocked_cb), f);
  g_signal_connect (f->view, "link-activated", G_CALLBACK (link_activated_cb), f);
  server_reset ();
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_signal_handlers_disconnect_by_data (f->web_view, f);
  gtk_window_destroy (f->window);
  iterate_for (50);
  g_assert_finalize_object (f->view);
  g_ptr_array_unref (f->links);
  g_bytes_unref (f->logo);
}

static void
wait_for_load (Fixture *f)
{
  g_assert_true (wait_for_flag (&f->finished, LOAD_TIMEOUT_MS));
  iterate_for (SETTLE_MS);
}

static void
load_and_wait (Fixture *f, const char *html)
{
  f->finished = FALSE;
  f->cid_requests = 0;
  f->blocked = 0;
  f->loads = 0;
  kontor_mail_web_view_load (f->view, html, resolve_cb, f, NULL);
  wait_for_load (f);
}

/* A mail whose head and body carry @head and @body, where "R/" stands for the
 * counting server's root URL and HOSTPORT for its address, and which shows one image
 * through cid:. */
static char *
make_document (const char *head, const char *body)
{
  g_autofree char *host = g_strdup_printf ("127.0.0.1:%u", server.port);
  g_autofree char *remote = g_strdup_printf ("http://%s/", host);
  g_autoptr (GString) html = g_string_new (NULL);

  g_string_append_printf (html,
                          "<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
                          "<title>original</title>%s</head><body><p>Hello</p>"
                          "<img src=\"" CID_LOGO "\" width=\"48\" height=\"48\">%s</body></html>",
                          head, body);
  g_string_replace (html, "R/", remote, 0);
  g_string_replace (html, "HOSTPORT", host, 0);
  return g_string_free (g_steal_pointer (&html), FALSE);
}

/* ---- Remote content ---- */

typedef struct
{
  const char *name;
  const char *head;
  const char *body;
  gboolean announced; /* whether remote-content-blocked is expected */
} Vector;

static const Vector vectors[] = {
  { "img-src", "", "<img src=\"R/pixel.gif\" width=1 height=1>", TRUE },
  { "img-srcset", "", "<img srcset=\"R/small.png 1x, R/large.png 2x\">", TRUE },
  { "picture-source", "", "<picture><source srcset=\"R/picture.png\"><img src=\"x\"></picture>",
    TRUE },
  { "input-image", "", "<input type=\"image\" src=\"R/input.png\">", TRUE },
  { "table-background", "", "<table background=\"R/table.png\"><tr><td>x</td></tr></table>", TRUE },
  { "body-background", "", "<div><body background=\"R/body.png\"></div>", TRUE },
  { "css-import", "<style>@import url(\"R/import.css\");</style>", "", TRUE },
  { "css-import-string", "<style>@import 'R/import2.css';</style>", "", TRUE },
  { "link-stylesheet", "<link rel=\"stylesheet\" href=\"R/link.css\">", "", TRUE },
  { "link-preload", "<link rel=\"preload\" as=\"image\" href=\"R/preload.png\">", "", TRUE },
  { "link-prefetch", "<link rel=\"prefetch\" href=\"R/prefetch.html\">", "", TRUE },
  { "link-dns-prefetch-preconnect",
    "<link rel=\"dns-prefetch\" href=\"R/\"><link rel=\"preconnect\" href=\"R/\">", "", TRUE },
  { "link-icon", "<link rel=\"icon\" href=\"R/favicon.ico\">", "", TRUE },
  { "css-background", "<style>body { background: url('R/background.png'); }</style>",
    "<div style=\"background-image:url(R/inline.png);width:9px;height:9px\"></div>", TRUE },
  { "css-image-set", "",
    "<div style=\"background-image:image-set('R/imageset.png' 1x);width:9px;height:9px\"></div>",
    FALSE },
  { "font-face",
    "<style>@font-face { font-family: Tracker; src: url(R/font.woff); }"
    " p { font-family: Tracker; }</style>",
    "", TRUE },
  { "meta-refresh", "<meta http-equiv=\"refresh\" content=\"0;url=R/refresh\">", "", FALSE },
  { "iframe", "", "<iframe src=\"R/iframe.html\"></iframe>", FALSE },
  { "object-embed", "",
    "<object data=\"R/object.html\" type=\"text/html\"></object><embed src=\"R/embed.swf\">",
    FALSE },
  { "svg-image", "",
    "<svg width=\"20\" height=\"20\"><image href=\"R/svg.png\" width=\"20\" height=\"20\"/>"
    "<image xlink:href=\"R/svg2.png\" width=\"20\" height=\"20\"/>"
    "<use href=\"R/sprite.svg#a\"/></svg>",
    TRUE },
  { "video-poster", "", "<video poster=\"R/poster.png\" src=\"R/video.webm\"></video>", TRUE },
  { "audio", "", "<audio src=\"R/audio.ogg\" autoplay></audio>", TRUE },
  { "script", "<script src=\"R/script.js\"></script>", "", FALSE },
  { "base-href", "<base href=\"R/\"><link rel=\"stylesheet\" href=\"relative.css\">",
    "<img src=\"relative.gif\">", TRUE },
  { "protocol-relative", "", "<img src=\"//HOSTPORT/proto.gif\">", TRUE },
  { "obfuscated-url", "",
    "<img src=\"&#104;ttp://HOSTPORT/entity.gif\"><img src=\" ht&#x09;tp://HOSTPORT/tab.gif\">",
    TRUE },
  { "link-with-ping", "", "<a href=\"R/page\" ping=\"R/ping\">a link</a>", FALSE },
};

static void
test_blocks_remote (Fixture *f, gconstpointer data)
{
  const Vector *vector = data;
  g_autofree char *html = make_document (vector->head, vector->body);
  g_autofree char *seen = NULL;

  load_and_wait (f, html);

  seen = server_describe ();
  g_test_message ("%s: %s, %u cid requests", vector->name, seen, f->cid_requests);
  /* The page did load: it asked for its inline image. */
  g_assert_cmpuint (f->cid_requests, >=, 1);
  g_assert_cmpstr (webkit_web_view_get_uri (f->web_view), ==, "about:blank");
  if (server.connections != 0)
    g_error ("%s reached the server: %s", vector->name, seen);
  g_assert_cmpuint (f->blocked, ==, vector->announced ? 1 : 0);
}

static void
test_allow_remote (Fixture *f, gconstpointer data)
{
  g_autoptr (GString) body = g_string_new (NULL);
  g_autofree char *html = NULL;
  g_autofree char *seen = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (vectors); i++)
    g_string_append (body, vectors[i].body);
  html = make_document ("<link rel=\"stylesheet\" href=\"R/link.css\">"
                        "<style>@import url(\"R/import.css\");</style>",
                        body->str);

  load_and_wait (f, html);
  g_assert_cmpuint (server.connections, ==, 0);
  g_assert_cmpuint (f->blocked, ==, 1);
  g_assert_false (kontor_mail_web_view_get_allow_remote (f->view));

  f->finished = FALSE;
  f->blocked = 0;
  kontor_mail_web_view_set_allow_remote (f->view, TRUE);
  wait_for_load (f);

  seen = server_describe ();
  g_test_message ("remote allowed: %s", seen);
  g_assert_cmpuint (server.requests, >=, 3);
  g_assert_cmpuint (f->blocked, ==, 0);
  g_assert_cmpstr (webkit_web_view_get_uri (f->web_view), ==, "about:blank");

  /* The setting stays for the next message, set before or after the load, and the
   * message is loaded once. */
  server_reset ();
  load_and_wait (f, html);
  g_assert_true (kontor_mail_web_view_get_allow_remote (f->view));
  g_assert_cmpuint (server.requests, >=, 3);
  g_assert_cmpuint (f->loads, ==, 1);

  server_reset ();
  kontor_mail_web_view_set_allow_remote (f->view, FALSE);
  load_and_wait (f, html);
  g_assert_cmpuint (f->loads, ==, 1);
  g_assert_cmpuint (server.connections, ==, 0);
  g_assert_cmpuint (f->blocked, ==, 1);

  server_reset ();
  kontor_mail_web_view_load (f->view, html, resolve_cb, f, NULL);
  kontor_mail_web_view_set_allow_remote (f->view, TRUE);
  f->finished = FALSE;
  f->loads = 0;
  f->blocked = 0;
  wait_for_load (f);
  g_assert_cmpuint (f->loads, ==, 1);
  g_assert_cmpuint (server.requests, >=, 3);
  g_assert_cmpuint (f->blocked, ==, 0);
}

/* ---- Scripts and navigation ---- */

static void
test_javascript_off (Fixture *f, gconstpointer data)
{
  g_autofree char *html =
    make_document ("<script>document.title = 'script ran';</script>",
                   "<img src=\"" CID_LOGO "\" onload=\"document.title = 'handler ran'\">"
                   "<a id=\"l\" href=\"javascript:document.title='link ran'\">x</a>"
                   "<noscript><img src=\"" CID_LOGO "\"></noscript>");

  load_and_wait (f, html);
  g_assert_cmpstr (webkit_web_view_get_title (f->web_view), ==, "original");
}

static void
test_no_navigation (Fixture *f, gconstpointer data)
{
  g_autofree char *html =
    make_document ("<meta http-equiv=\"refresh\" content=\"0;url=about:blank#refreshed\">", "");
  g_autofree char *html2 =
    make_document ("<meta http-equiv=\"refresh\" content=\"0;url=data:text/html,gone\">",
                   "<form action=\"R/form\"><input type=\"submit\"></form>");

  load_and_wait (f, html);
  iterate_for (1000);
  g_assert_cmpstr (webkit_web_view_get_uri (f->web_view), ==, "about:blank");
  g_assert_cmpstr (webkit_web_view_get_title (f->web_view), ==, "original");

  load_and_wait (f, html2);
  iterate_for (1000);
  g_assert_cmpstr (webkit_web_view_get_uri (f->web_view), ==, "about:blank");
  g_assert_cmpstr (webkit_web_view_get_title (f->web_view), ==, "original");
  g_assert_cmpuint (f->links->len, ==, 0);
  g_assert_cmpuint (server.connections, ==, 0);
}

static gboolean
have_xdotool (void)
{
  g_autofree char *path = g_find_program_in_path ("xdotool");
  const char *backend = g_getenv ("GDK_BACKEND");

  return path != NULL && g_getenv ("DISPLAY") != NULL &&
         (backend == NULL || g_str_equal (backend, "x11"));
}

static void
child_exited_cb (GPid pid, int status, gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  g_spawn_close_pid (pid);
}

/* Real pointer input through the X server: GTK has no way to synthesize it. */
static void
run_xdotool (const char *commands)
{
  g_autofree char *command =
    g_strdup_printf ("xdotool search --sync --name kontor-mail-web-view-test %s", commands);
  g_auto (GStrv) argv = NULL;
  g_autoptr (GError) error = NULL;
  GPid pid;
  gboolean exited = FALSE;

  g_shell_parse_argv (command, NULL, &argv, &error);
  g_assert_no_error (error);
  g_spawn_async (NULL, argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                 &pid, &error);
  g_assert_no_error (error);
  g_child_watch_add (pid, child_exited_cb, &exited);
  g_assert_true (wait_for_flag (&exited, 10000));
  iterate_for (SETTLE_MS);
}

/* The web process reports a navigation within the page a moment after the click:
 * waits up to @timeout_ms for the view's URI to be @uri. */
static gboolean
wait_for_uri (WebKitWebView *web_view, const char *uri, guint timeout_ms)
{
  gint64 end = g_get_monotonic_time () + timeout_ms * G_TIME_SPAN_MILLISECOND;

  while (g_strcmp0 (webkit_web_view_get_uri (web_view), uri) != 0 && g_get_monotonic_time () < end)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2000);
    }
  return g_strcmp0 (webkit_web_view_get_uri (web_view), uri) == 0;
}

/* Links at known places: each 40 pixels high at the top given in its style. */
#define LINK_STYLE                                                       \
  "<style>a { position: absolute; left: 0; width: 400px; height: 40px; " \
  "font-size: 30px; }</style>"

static void
test_links (Fixture *f, gconstpointer data)
{
  g_autofree char *html = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *seen = NULL;

  if (!have_xdotool ())
    {
      g_test_skip ("needs xdotool and an X11 display");
      return;
    }

  html = make_document (
    LINK_STYLE, "<a href=\"R/clicked?x=1\" ping=\"R/ping\" style=\"top: 100px\">a link</a>"
                "<a href=\"R/blank\" target=\"_blank\" style=\"top: 150px\">a new window</a>"
                "<a href=\"#bottom\" style=\"top: 200px\">an anchor</a>"
                "<a href=\"javascript:void(0)\" style=\"top: 250px\">a script</a>"
                "<div style=\"height: 3000px\"></div><p id=\"bottom\">end</p>");
  load_and_wait (f, html);
  g_assert_cmpuint (server.connections, ==, 0);

  run_xdotool ("mousemove --window %1 100 120 sleep 0.3 click 1");
  run_xdotool ("mousemove --window %1 100 170 sleep 0.3 click 1");
  run_xdotool ("mousemove --window %1 100 120 sleep 0.3 click 2");
  run_xdotool ("mousemove --window %1 100 270 sleep 0.3 click 1");
  run_xdotool ("mousemove --window %1 100 220 sleep 0.3 click 1");

  seen = server_describe ();
  g_test_message ("after clicks: %s", seen);
  for (guint i = 0; i < f->links->len; i++)
    g_test_message ("link-activated: %s", (char *) g_ptr_array_index (f->links, i));
  expected = g_strdup_printf ("http://127.0.0.1:%u/clicked?x=1", server.port);
  g_assert_cmpuint (f->links->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (f->links, 0), ==, expected);
  g_assert_true (g_str_has_suffix (g_ptr_array_index (f->links, 1), "/blank"));
  g_assert_cmpstr (g_ptr_array_index (f->links, 2), ==, expected);
  /* The javascript: link did nothing; the anchor scrolled within the document. */
  wait_for_uri (f->web_view, "about:blank#bottom", 5000);
  g_assert_cmpstr (webkit_web_view_get_uri (f->web_view), ==, "about:blank#bottom");
  /* Neither a ping nor a connection ahead of the navigation. */
  g_assert_cmpuint (server.connections, ==, 0);


  /* From the keyboard the link reaches WebKit, which asks the view; it opens a
   * connection to the host first (no request), so only the outcome is checked. */
  load_and_wait (f, html);
  g_ptr_array_set_size (f->links, 0);
  g_assert_true (gtk_widget_grab_focus (GTK_WIDGET (f->view)));
  run_xdotool ("key --window %1 Tab sleep 0.3 key --window %1 Return");
  g_clear_pointer (&seen, g_free);
  seen = server_describe ();
  g_test_message ("after keyboard activation: %s", seen);
  g_assert_cmpuint (f->links->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->links, 0), ==, expected);
  g_assert_cmpstr (webkit_web_view_get_uri (f->web_view), ==, "about:blank");
  g_assert_cmpuint (server.requests, ==, 0);
}

static gboolean
context_menu_cb (WebKitWebView *web_view,
                 WebKitContextMenu *menu,
                 WebKitHitTestResult *hit_test_result,
                 guint *n_menus)
{
  static const WebKitContextMenuAction allowed[] = {
    WEBKIT_CONTEXT_MENU_ACTION_NO_ACTION, /* separators */
    WEBKIT_CONTEXT_MENU_ACTION_COPY,
    WEBKIT_CONTEXT_MENU_ACTION_COPY_LINK_TO_CLIPBOARD,
    WEBKIT_CONTEXT_MENU_ACTION_COPY_IMAGE_TO_CLIPBOARD,
    WEBKIT_CONTEXT_MENU_ACTION_SELECT_ALL,
  };
  gboolean has_copy_link = FALSE;

  (*n_menus)++;
  for (GList *l = webkit_context_menu_get_items (menu); l != NULL; l = l->next)
    {
      WebKitContextMenuAction action = webkit_context_menu_item_get_stock_action (l->data);
      gboolean ok = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (allowed); i++)
        ok |= action == allowed[i];
      if (!ok)
        g_error ("unexpected context menu action %d", action);
      has_copy_link |= action == WEBKIT_CONTEXT_MENU_ACTION_COPY_LINK_TO_CLIPBOARD;
    }
  g_assert_true (has_copy_link);

  /* Handled: no popover to get in the way of the next test. */
  return TRUE;
}

static void
test_context_menu (Fixture *f, gconstpointer data)
{
  g_autofree char *html = NULL;
  guint n_menus = 0;

  if (!have_xdotool ())
    {
      g_test_skip ("needs xdotool and an X11 display");
      return;
    }

  html = make_document (LINK_STYLE, "<a href=\"R/clicked\" style=\"top: 100px\">a link</a>");
  load_and_wait (f, html);
  g_signal_connect (f->web_view, "context-menu", G_CALLBACK (context_menu_cb), &n_menus);

  run_xdotool ("mousemove --window %1 100 120 sleep 0.3 click 3");
  g_assert_cmpuint (n_menus, ==, 1);
  g_signal_handlers_disconnect_by_func (f->web_view, context_menu_cb, &n_menus);
}

/* ---- Zoom, looks ---- */

static void
test_zoom (Fixture *f, gconstpointer data)
{
  kontor_mail_web_view_zoom_in (f->view);
  g_assert_cmpfloat (kontor_mail_web_view_get_zoom_level (f->view), >, 1.0);
  kontor_mail_web_view_zoom_reset (f->view);
  g_assert_cmpfloat_with_epsilon (kontor_mail_web_view_get_zoom_level (f->view), 1.0, 0.001);
  kontor_mail_web_view_zoom_out (f->view);
  kontor_mail_web_view_zoom_out (f->view);
  g_assert_cmpfloat (kontor_mail_web_view_get_zoom_level (f->view), <, 0.9);
  for (guint i = 0; i < 30; i++)
    kontor_mail_web_view_zoom_out (f->view);
  g_assert_cmpfloat (kontor_mail_web_view_get_zoom_level (f->view), >=, 0.5);
  kontor_mail_web_view_zoom_reset (f->view);
}

typedef struct
{
  GdkTexture *texture;
  gboolean done;
} Snapshot;

static void
snapshot_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Snapshot *snapshot = user_data;
  g_autoptr (GError) error = NULL;

  snapshot->texture =
    webkit_web_view_get_snapshot_finish (WEBKIT_WEB_VIEW (source), result, &error);
  g_assert_no_error (error);
  snapshot->done = TRUE;
}

static guchar *
snapshot_pixels (Fixture *f, int *width, int *height)
{
  Snapshot snapshot = { NULL, FALSE };
  guchar *pixels;

  webkit_web_view_get_snapshot (f->web_view, WEBKIT_SNAPSHOT_REGION_VISIBLE,
                                WEBKIT_SNAPSHOT_OPTIONS_NONE, NULL, snapshot_cb, &snapshot);
  g_assert_true (wait_for_flag (&snapshot.done, LOAD_TIMEOUT_MS));
  *width = gdk_texture_get_width (snapshot.texture);
  *height = gdk_texture_get_height (snapshot.texture);
  pixels = g_malloc ((gsize) *width * *height * 4);
  /* Cairo's layout: B, G, R, A in memory on little-endian. */
  gdk_texture_download (snapshot.texture, pixels, *width * 4);
  g_object_unref (snapshot.texture);
  return pixels;
}

static gboolean
has_logo (const guchar *pixels, int width, int height)
{
  for (int i = 0; i < width * height; i++)
    {
      const guchar *p = pixels + i * 4;

      if (ABS (p[2] - 0xe0) < 8 && ABS (p[1] - 0x1b) < 8 && ABS (p[0] - 0x24) < 8)
        return TRUE;
    }
  return FALSE;
}

static double
luminance_at (const guchar *pixels, int width, int x, int y)
{
  const guchar *p = pixels + (y * width + x) * 4;

  return (0.2126 * p[2] + 0.7152 * p[1] + 0.0722 * p[0]) / 255.0;
}

static char *
screenshot_path (const char *name)
{
  const char *build_dir = g_getenv ("KONTOR_BUILD_DIR");
  g_autofree char *dir = NULL;

  if (build_dir != NULL)
    dir = g_build_filename (build_dir, "tests", "screenshots", NULL);
  else
    dir = g_build_filename (g_get_tmp_dir (), "kontor-screenshots", NULL);
  g_mkdir_with_parents (dir, 0755);
  return g_build_filename (dir, name, NULL);
}

static void
save_window (Fixture *f, const char *name)
{
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (GTK_WIDGET (f->window));
  g_autoptr (GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  g_autofree char *path = screenshot_path (name);
  int width = gtk_widget_get_width (GTK_WIDGET (f->window));
  int height = gtk_widget_get_height (GTK_WIDGET (f->window));
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (f->window));

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

static char *
read_sample (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "sample-mail.html", NULL);
  g_autoptr (GError) error = NULL;
  char *html = NULL;

  g_file_get_contents (path, &html, NULL, &error);
  g_assert_no_error (error);
  return html;
}

static void
test_screenshot (Fixture *f, gconstpointer data)
{
  g_autofree char *html = read_sample ();
  g_autofree guchar *pixels = NULL;
  int width, height;

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_LIGHT);
  load_and_wait (f, html);
  g_assert_cmpuint (f->cid_requests, >=, 1);
  g_assert_cmpuint (f->blocked, ==, 1);

  pixels = snapshot_pixels (f, &width, &height);
  g_assert_true (has_logo (pixels, width, height));
  save_window (f, "mail-web-view.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  g_assert_cmpuint (server.connections, ==, 0);
}

static void
test_dark (Fixture *f, gconstpointer data)
{
  g_autofree char *plain = make_document ("", "<p>A plain reply without colours.</p>");
  g_autofree char *styled = make_document ("", "<table bgcolor=\"#ffffff\"><tr><td>"
                                               "<font color=\"#333333\">A newsletter</font>"
                                               "</td></tr></table>");
  g_autofree guchar *pixels = NULL;
  int width, height;

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  iterate_for (100);

  load_and_wait (f, plain);
  pixels = snapshot_pixels (f, &width, &height);
  g_assert_true (has_logo (pixels, width, height));
  g_assert_cmpfloat (luminance_at (pixels, width, width - 5, height - 5), <, 0.3);
  save_window (f, "mail-web-view-dark.png");
  g_clear_pointer (&pixels, g_free);

  load_and_wait (f, styled);
  pixels = snapshot_pixels (f, &width, &height);
  g_assert_cmpfloat (luminance_at (pixels, width, width - 5, height - 5), >, 0.9);

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
}

/* ---- The markup reading behind remote-content-blocked ---- */

static void
test_references_remote (void)
{
  static const struct
  {
    const char *html;
    gboolean remote;
  } cases[] = {
    { "<p>text http://example.com/</p>", FALSE },
    { "<a href=\"https://example.com/\">link</a>", FALSE },
    { "<img src=\"cid:a@b\"><img src=\"data:image/png;base64,AA==\">", FALSE },
    { "<!-- <img src=\"http://example.com/x.gif\"> -->", FALSE },
    { "<iframe src=\"https://example.com/\"></iframe>", FALSE },
    { "<IMG SRC=\"HTTPS://example.com/x.gif\">", TRUE },
    { "<img src=//example.com/x.gif>", TRUE },
    { "<img src='&#x68;ttp://example.com/x.gif'>", TRUE },
    { "<base href=\"http://example.com/\"><img src=\"x.gif\">", TRUE },
    { "<img src=\"x.gif\">", FALSE },
    { "<style>p { background: url( 'http://example.com/b.png' ) }</style>", TRUE },
    { "<style>@import \"https://example.com/s.css\";</style>", TRUE },
    { "<style>@import url(\"https://example.com/s.css\");</style>", TRUE },
    { "<div style=\"background:url(https://example.com/b.png)\">", TRUE },
    { "<svg><image xlink:href=\"http://example.com/i.png\"/></svg>", TRUE },
    { "<img srcset=\"cid:a 1x, https://example.com/b.png 2x\">", TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      if (kontor_mail_web_view_references_remote (cases[i].html) != cases[i].remote)
        g_error ("expected %s for %s", cases[i].remote ? "remote" : "local", cases[i].html);
    }
}

/* WebKit's sandbox needs user namespaces; only where there are none is it turned off,
 * for this test alone. */
static void
disable_sandbox_without_namespaces (void)
{
  pid_t pid = fork ();
  int status = 0;

  if (pid == 0)
    _exit (unshare (CLONE_NEWUSER) == 0 ? 0 : 1);
  if (pid > 0 && waitpid (pid, &status, 0) == pid && WIFEXITED (status) &&
      WEXITSTATUS (status) == 0)
    return;

  g_setenv ("WEBKIT_DISABLE_SANDBOX_THIS_IS_DANGEROUS", "1", TRUE);
  g_print ("# no user namespaces: WebKit's sandbox is disabled for this test\n");
}

int
main (int argc, char *argv[])
{
  disable_sandbox_without_namespaces ();

  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();
  server_start ();

#define ADD(path, func, data) \
  g_test_add ("/kontor/mail-web-view/" path, Fixture, data, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/kontor/mail-web-view/references-remote", test_references_remote);
  for (guint i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      g_autofree char *path = g_strdup_printf ("/kontor/mail-web-view/blocks/%s", vectors[i].name);

      g_test_add (path, Fixture, &vectors[i], fixture_set_up, test_blocks_remote,
                  fixture_tear_down);
    }
  ADD ("allow-remote", test_allow_remote, NULL);
  ADD ("javascript-off", test_javascript_off, NULL);
  ADD ("no-navigation", test_no_navigation, NULL);
  ADD ("links", test_links, NULL);
  ADD ("context-menu", test_context_menu, NULL);
  ADD ("zoom", test_zoom, NULL);
  ADD ("screenshot", test_screenshot, NULL);
  ADD ("dark", test_dark, NULL);

  return g_test_run ();
}
