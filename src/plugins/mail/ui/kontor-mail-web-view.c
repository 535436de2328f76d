/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-web-view.c: one mail body in a locked-down WebKitWebView. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <adwaita.h>
#include <webkit/webkit.h>

#include "kontor-mail-web-view.h"

/* The document's URL. It grants nothing: relative URLs do not resolve against it and
 * it is no origin any other content shares. */
#define BASE_URI "about:blank"

/* The filters are compiled once and kept in the cache; a change of the rules must
 * change the identifier so an old compiled copy is not used. */
enum
{
  FILTER_REMOTE,
  FILTER_ALWAYS,
  N_FILTERS
};

static const char *const filter_ids[N_FILTERS] = {
  "kontor-mail-block-remote-1",
  "kontor-mail-block-always-1",
};

/* WebKit's URL filters have no alternation: block everything, then exempt what the
 * message itself carries. */
static const char *const filter_rules[N_FILTERS] = {
  "["
  "{\"trigger\":{\"url-filter\":\".*\"},\"action\":{\"type\":\"block\"}},"
  "{\"trigger\":{\"url-filter\":\"^cid:\"},\"action\":{\"type\":\"ignore-previous-rules\"}},"
  "{\"trigger\":{\"url-filter\":\"^data:\"},\"action\":{\"type\":\"ignore-previous-rules\"}},"
  "{\"trigger\":{\"url-filter\":\"^about:\"},\"action\":{\"type\":\"ignore-previous-rules\"}}"
  "]",
  /* Hyperlink auditing can no longer be turned off (WebKitGTK 2.50), and a mail has
   * no business reading local files even when its remote content is allowed. */
  "["
  "{\"trigger\":{\"url-filter\":\".*\",\"resource-type\":[\"ping\"]},"
  "\"action\":{\"type\":\"block\"}},"
  "{\"trigger\":{\"url-filter\":\"^file:\"},\"action\":{\"type\":\"block\"}}"
  "]",
};

/* Shown dark only when the mail brings no colours or style sheets of its own; a
 * style element that the document builder adds can opt out with data-kontor-style. */
static const char dark_style[] =
  ":root { color-scheme: dark; }\n"
  ":root:has([bgcolor], [background], [text], font[color], [style*=\"color\" i],"
  " [style*=\"background\" i], style:not([data-kontor-style]),"
  " link[rel~=\"stylesheet\" i]) {\n"
  "  color-scheme: light;\n"
  "  background-color: #ffffff;\n"
  "  color: #000000;\n"
  "}\n";

static const struct
{
  const char *name;
  gboolean value;
} boolean_settings[] = {
  { "enable-javascript", FALSE },
  { "enable-javascript-markup", FALSE },
  { "javascript-can-open-windows-automatically", FALSE },
  { "javascript-can-access-clipboard", FALSE },
  { "allow-modal-dialogs", FALSE },
  { "enable-developer-extras", FALSE },
  { "enable-page-cache", FALSE },
  { "enable-html5-local-storage", FALSE },
  { "enable-html5-database", FALSE },
  { "enable-webgl", FALSE },
  { "enable-webaudio", FALSE },
  { "enable-webrtc", FALSE },
  { "enable-media-stream", FALSE },
  /* Media would hand the message's data to GStreamer; mails have no business playing. */
  { "enable-media", FALSE },
  { "enable-mediasource", FALSE },
  { "enable-encrypted-media", FALSE },
  { "enable-media-capabilities", FALSE },
  { "media-playback-requires-user-gesture", TRUE },
  { "enable-fullscreen", FALSE },
  { "enable-site-specific-quirks", FALSE },
  { "enable-back-forward-navigation-gestures", FALSE },
  { "enable-resizable-text-areas", FALSE },
  { "allow-file-access-from-file-urls", FALSE },
  { "allow-universal-access-from-file-urls", FALSE },
  { "allow-top-navigation-to-data-urls", FALSE },
  { "auto-load-images", TRUE },
};

static const double zoom_levels[] = {
  0.5, 0.67, 0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0
};

/* What every view of the process shares, made on first use and kept for the
 * process's lifetime like WebKit's own default context. */
typedef struct
{
  WebKitWebContext *context;
  WebKitNetworkSession *session;
  WebKitSettings *settings;
  WebKitWebsitePolicies *policies;
  WebKitUserStyleSheet *dark_style_sheet;
  WebKitUserContentFilterStore *store;
  WebKitUserContentFilter *filters[N_FILTERS];
  guint filters_pending;
  gboolean filters_failed;
  GList *waiting; /* KontorMailWebView, borrowed: views that wait for the filters */
} Shared;

static Shared *shared;

struct _KontorMailWebView
{
  GtkWidget parent_instance;

  /* Owned */
  WebKitWebView *web_view;
  char *document;
  KontorMailWebViewResolver resolver;
  gpointer resolver_data;
  GDestroyNotify resolver_destroy;
  char *hovered_link;
  char *pressed_link;
  guint load_source_id;

  gboolean allow_remote;
  gboolean waiting_for_filters;
  gboolean remote_filter_on;
  gboolean dark_style_on;
  gboolean expecting_load;    /* the next navigation to BASE_URI is our own */
  gboolean expecting_commit;  /* our load has not been committed yet */
  gboolean references_remote; /* the document asks for remote content we block */
};

G_DEFINE_FINAL_TYPE (KontorMailWebView, kontor_mail_web_view, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_ALLOW_REMOTE,
  PROP_ZOOM_LEVEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  LINK_ACTIVATED,
  REMOTE_CONTENT_BLOCKED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void filters_ready (KontorMailWebView *self);

/* ---- Process-wide state ---- */

static void
filter_done (void)
{
  GList *waiting;

  g_assert (shared->filters_pending > 0);
  if (--shared->filters_pending > 0)
    return;

  waiting = g_steal_pointer (&shared->waiting);
  for (GList *l = waiting; l != NULL; l = l->next)
    filters_ready (l->data);
  g_list_free (waiting);
}

static void
filter_saved_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  guint i = GPOINTER_TO_UINT (user_data);
  g_autoptr (GError) error = NULL;

  shared->filters[i] = webkit_user_content_filter_store_save_finish (
    WEBKIT_USER_CONTENT_FILTER_STORE (source), result, &error);
  if (shared->filters[i] == NULL)
    {
      g_warning ("Cannot compile the content filter %s: %s", filter_ids[i], error->message);
      shared->filters_failed = TRUE;
    }
  filter_done ();
}

static void
filter_loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  guint i = GPOINTER_TO_UINT (user_data);
  g_autoptr (GBytes) rules = NULL;

  /* Not compiled yet, or by another WebKit version: compile it now. */
  shared->filters[i] = webkit_user_content_filter_store_load_finish (
    WEBKIT_USER_CONTENT_FILTER_STORE (source), result, NULL);
  if (shared->filters[i] != NULL)
    {
      filter_done ();
      return;
    }

  rules = g_bytes_new_static (filter_rules[i], strlen (filter_rules[i]));
  webkit_user_content_filter_store_save (shared->store, filter_ids[i], rules, NULL, filter_saved_cb,
                                         user_data);
}

static void
download_started_cb (WebKitNetworkSession *session, WebKitDownload *download, gpointer user_data)
{
  webkit_download_cancel (download);
}

static void cid_request_cb (WebKitURISchemeRequest *request, gpointer user_data);

static void
ensure_shared (void)
{
  g_autofree char *store_path = NULL;

  if (shared != NULL)
    return;

  shared = g_new0 (Shared, 1);

  shared->context = webkit_web_context_new ();
  webkit_web_context_set_cache_model (shared->context, WEBKIT_CACHE_MODEL_DOCUMENT_VIEWER);
  webkit_web_context_set_spell_checking_enabled (shared->context, FALSE);
  /* Not registered as local, secure or CORS-enabled: it only needs to be displayable
   * by the document, which it is as a plain custom scheme. */
  webkit_web_context_register_uri_scheme (shared->context, "cid", cid_request_cb, NULL, NULL);

  shared->session = webkit_network_session_new_ephemeral ();
  webkit_cookie_manager_set_accept_policy (
    webkit_network_session_get_cookie_manager (shared->session), WEBKIT_COOKIE_POLICY_ACCEPT_NEVER);
  g_signal_connect (shared->session, "download-started", G_CALLBACK (download_started_cb), NULL);

  /* enable-dns-prefetching (2.48) and enable-hyperlink-auditing (2.50) are deprecated
   * and no longer turn anything off; pings are blocked by a filter instead. */
  shared->settings = webkit_settings_new ();
  for (guint i = 0; i < G_N_ELEMENTS (boolean_settings); i++)
    g_object_set (shared->settings, boolean_settings[i].name, boolean_settings[i].value, NULL);
  webkit_settings_set_default_charset (shared->settings, "utf-8");
  shared->policies =
    webkit_website_policies_new_with_policies ("autoplay", WEBKIT_AUTOPLAY_DENY, NULL);
  shared->dark_style_sheet = webkit_user_style_sheet_new (
    dark_style, WEBKIT_USER_CONTENT_INJECT_ALL_FRAMES, WEBKIT_USER_STYLE_LEVEL_USER, NULL, NULL);

  store_path = g_build_filename (g_get_user_cache_dir (), "kontor", "mail-content-filters", NULL);
  shared->store = webkit_user_content_filter_store_new (store_path);
  shared->filters_pending = N_FILTERS;
  for (guint i = 0; i < N_FILTERS; i++)
    webkit_user_content_filter_store_load (shared->store, filter_ids[i], NULL, filter_loaded_cb,
                                           GUINT_TO_POINTER (i));
}

/* ---- What a document refers to ---- */

/* The URL an attribute value stands for, as the HTML parser and URL parser would read
 * it: character references decoded, tabs and newlines dropped, spaces trimmed. */
static char *
clean_url (const char *value)
{
  GString *url = g_string_new (NULL);

  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '\t' || *p == '\n' || *p == '\r')
        continue;
      if (*p == '&' && p[1] == '#')
        {
          gboolean hex = p[2] == 'x' || p[2] == 'X';
          char *end = NULL;
          gint64 c = g_ascii_strtoll (p + (hex ? 3 : 2), &end, hex ? 16 : 10);

          if (end != NULL && end != p + (hex ? 3 : 2) && c > 0 && c < 0x110000)
            {
              if (c != '\t' && c != '\n' && c != '\r')
                g_string_append_unichar (url, (gunichar) c);
              p = *end == ';' ? end : end - 1;
              continue;
            }
        }
      else if (*p == '&' && g_ascii_strncasecmp (p, "&colon;", 7) == 0)
        {
          g_string_append_c (url, ':');
          p += 6;
          continue;
        }
      else if (*p == '&' && g_ascii_strncasecmp (p, "&sol;", 5) == 0)
        {
          g_string_append_c (url, '/');
          p += 4;
          continue;
        }
      g_string_append_c (url, *p);
    }

  g_strstrip (url->str);
  return g_string_free (url, FALSE);
}

static gboolean
url_is_remote (const char *value, gboolean base_is_remote)
{
  g_autofree char *url = clean_url (value);
  const char *scheme;

  if (*url == '\0' || *url == '#')
    return FALSE;
  if (g_str_has_prefix (url, "//") || g_str_has_prefix (url, "\\\\"))
    return TRUE;

  scheme = g_uri_peek_scheme (url);
  if (scheme == NULL)
    return base_is_remote;

  return g_str_equal (scheme, "http") || g_str_equal (scheme, "https") ||
         g_str_equal (scheme, "ftp") || g_str_equal (scheme, "ws") || g_str_equal (scheme, "wss");
}

static gboolean
css_is_remote (const char *css, gboolean base_is_remote)
{
  static GRegex *regex;
  g_autoptr (GMatchInfo) match = NULL;

  if (g_once_init_enter (&regex))
    g_once_init_leave (
      &regex,
      g_regex_new (
        "(?:url\\(\\s*|@import\\s+(?:url\\(\\s*)?)(?:\"([^\"]*)\"|'([^']*)'|([^\\s)\"';]+))",
        G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0, NULL));

  for (g_regex_match (regex, css, 0, &match); g_match_info_matches (match);
       g_match_info_next (match, NULL))
    {
      for (int group = 1; group <= 3; group++)
        {
          g_autofree char *url = g_match_info_fetch (match, group);

          if (url != NULL && *url != '\0' && url_is_remote (url, base_is_remote))
            return TRUE;
        }
    }

  return FALSE;
}

static gboolean
srcset_is_remote (const char *srcset, gboolean base_is_remote)
{
  g_auto (GStrv) candidates = g_strsplit (srcset, ",", -1);

  for (guint i = 0; candidates[i] != NULL; i++)
    {
      g_auto (GStrv) words = g_strsplit_set (g_strstrip (candidates[i]), " \t\n", 2);

      if (words[0] != NULL && url_is_remote (words[0], base_is_remote))
        return TRUE;
    }

  return FALSE;
}

/* Elements whose content never loads here whatever the remote setting (frames are
 * never navigated, scripts are dropped by the parser) do not count. */
static gboolean
attribute_loads (const char *element, const char *attribute)
{
  static const char *const never_loaded[] = { "iframe", "frame",  "object", "embed",
                                              "applet", "script", "a",      "area",
                                              "base",   "form",   NULL };
  static const char *const loading[] = { "src",        "srcset", "imagesrcset", "poster",
                                         "background", "lowsrc", "dynsrc",      "href",
                                         "xlink:href", NULL };

  if (g_strv_contains (never_loaded, element))
    return FALSE;
  return g_strv_contains (loading, attribute);
}

/**
 * kontor_mail_web_view_references_remote:
 * @html_document: an HTML document
 *
 * Whether @html_document asks for content from the network: images, style sheets,
 * fonts and so on from http(s), ftp or websocket URLs, directly or through a `<base>`.
 * WebKit does not tell which loads its content filter blocked, so this reading of
 * the markup decides when #KontorMailWebView::remote-content-blocked is emitted. It
 * is a heuristic (CSS escapes, for one, are not decoded) and is never what blocks.
 *
 * Returns: %TRUE if the document refers to remote content
 */
gboolean
kontor_mail_web_view_references_remote (const char *html_document)
{
  static GRegex *comment_regex, *tag_regex, *attribute_regex, *style_regex;
  g_autoptr (GMatchInfo) tags = NULL;
  g_autoptr (GMatchInfo) styles = NULL;
  g_autofree char *html = NULL;
  gboolean base_is_remote = FALSE;

  g_return_val_if_fail (html_document != NULL, FALSE);

  if (g_once_init_enter (&tag_regex))
    {
      comment_regex = g_regex_new ("<!--.*?-->", G_REGEX_DOTALL | G_REGEX_OPTIMIZE, 0, NULL);
      attribute_regex =
        g_regex_new ("([^\\s\"'>/=]+)(?:\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)'|([^\\s>]+)))?",
                     G_REGEX_OPTIMIZE, 0, NULL);
      style_regex = g_regex_new ("<style\\b[^>]*>(.*?)</style\\s*>",
                                 G_REGEX_CASELESS | G_REGEX_DOTALL | G_REGEX_OPTIMIZE, 0, NULL);
      g_once_init_leave (&tag_regex,
                         g_regex_new ("<([a-zA-Z][^\\s/>]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>",
                                      G_REGEX_OPTIMIZE, 0, NULL));
    }

  html = g_regex_replace_literal (comment_regex, html_document, -1, 0, "", 0, NULL);
  if (html == NULL)
    return FALSE;

  /* Two passes: a <base> anywhere changes what every relative URL means. */
  for (int pass = 0; pass < 2; pass++)
    {
      for (g_regex_match (tag_regex, html, 0, &tags); g_match_info_matches (tags);
           g_match_info_next (tags, NULL))
        {
          g_autofree char *element = g_match_info_fetch (tags, 1);
          g_autofree char *attributes = g_match_info_fetch (tags, 2);
          g_autofree char *element_lower = g_ascii_strdown (element, -1);
          g_autoptr (GMatchInfo) match = NULL;

          if (pass == 0 && !g_str_equal (element_lower, "base"))
            continue;

          for (g_regex_match (attribute_regex, attributes, 0, &match); g_match_info_matches (match);
               g_match_info_next (match, NULL))
            {
              g_autofree char *name = g_match_info_fetch (match, 1);
              g_autofree char *name_lower = g_ascii_strdown (name, -1);
              g_autofree char *value = NULL;

              for (int group = 2; group <= 4 && (value == NULL || *value == '\0'); group++)
                {
                  g_free (value);
                  value = g_match_info_fetch (match, group);
                }
              if (value == NULL)
                continue;

              if (pass == 0)
                {
                  if (g_str_equal (name_lower, "href") && url_is_remote (value, FALSE))
                    base_is_remote = TRUE;
                }
              else if (g_str_equal (name_lower, "style"))
                {
                  g_autofree char *css = clean_url (value);

                  if (css_is_remote (css, base_is_remote))
                    return TRUE;
                }
              else if (attribute_loads (element_lower, name_lower))
                {
                  gboolean is_srcset = g_str_has_suffix (name_lower, "srcset");

                  if (is_srcset ? srcset_is_remote (value, base_is_remote)
                                : url_is_remote (value, base_is_remote))
                    return TRUE;
                }
            }
        }
      g_clear_pointer (&tags, g_match_info_free);
    }

  for (g_regex_match (style_regex, html, 0, &styles); g_match_info_matches (styles);
       g_match_info_next (styles, NULL))
    {
      g_autofree char *css = g_match_info_fetch (styles, 1);

      if (css_is_remote (css, base_is_remote))
        return TRUE;
    }

  return FALSE;
}

/* ---- Loading ---- */

static void
cid_request_cb (WebKitURISchemeRequest *request, gpointer user_data)
{
  WebKitWebView *web_view = webkit_uri_scheme_request_get_web_view (request);
  GtkWidget *parent = web_view != NULL ? gtk_widget_get_parent (GTK_WIDGET (web_view)) : NULL;
  KontorMailWebView *self = KONTOR_IS_MAIL_WEB_VIEW (parent) ? KONTOR_MAIL_WEB_VIEW (parent) : NULL;
  const char *uri = webkit_uri_scheme_request_get_uri (request);
  g_autoptr (GBytes) bytes = NULL;
  g_autofree char *mime_type = NULL;
  g_autoptr (GInputStream) stream = NULL;
  g_autoptr (WebKitURISchemeResponse) response = NULL;

  if (self != NULL && self->resolver != NULL)
    bytes = self->resolver (uri, &mime_type, self->resolver_data);

  if (bytes == NULL)
    {
      g_autoptr (GError) error =
        g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "The message has no part %s", uri);

      webkit_uri_scheme_request_finish_error (request, error);
      return;
    }

  stream = g_memory_input_stream_new_from_bytes (bytes);
  response = webkit_uri_scheme_response_new (stream, (gint64) g_bytes_get_size (bytes));
  webkit_uri_scheme_response_set_content_type (
    response, mime_type != NULL ? mime_type : "application/octet-stream");
  webkit_uri_scheme_request_finish_with_response (request, response);
}

static void
update_filters (KontorMailWebView *self)
{
  WebKitUserContentManager *manager = webkit_web_view_get_user_content_manager (self->web_view);
  gboolean block_remote = !self->allow_remote;

  if (block_remote == self->remote_filter_on)
    return;

  if (block_remote)
    webkit_user_content_manager_add_filter (manager, shared->filters[FILTER_REMOTE]);
  else
    webkit_user_content_manager_remove_filter (manager, shared->filters[FILTER_REMOTE]);
  self->remote_filter_on = block_remote;
}

static gboolean
load_cb (gpointer user_data)
{
  KontorMailWebView *self = user_data;

  self->load_source_id = 0;

  if (shared->filters_failed)
    {
      g_autofree char *notice = NULL;

      /* Without the filters nothing stops the document's remote loads but its own
       * policy, so it is not shown at all. */
      notice = g_markup_printf_escaped ("<!DOCTYPE html><html><body><p>%s</p></body></html>",
                                        _ ("This message cannot be shown safely."));
      self->references_remote = FALSE;
      self->expecting_load = TRUE;
      webkit_web_view_load_html (self->web_view, notice, BASE_URI);
      return G_SOURCE_REMOVE;
    }

  update_filters (self);
  self->references_remote =
    !self->allow_remote && kontor_mail_web_view_references_remote (self->document);
  self->expecting_load = TRUE;
  self->expecting_commit = TRUE;
  webkit_web_view_load_html (self->web_view, self->document, BASE_URI);

  return G_SOURCE_REMOVE;
}

/* Loads from an idle so that a kontor_mail_web_view_load() followed at once by
 * kontor_mail_web_view_set_allow_remote() loads the document only once. */
static void
schedule_load (KontorMailWebView *self)
{
  if (self->document == NULL || self->web_view == NULL)
    return;

  if (shared->filters_pending > 0)
    {
      if (!self->waiting_for_filters)
        {
          self->waiting_for_filters = TRUE;
          shared->waiting = g_list_prepend (shared->waiting, self);
        }
      return;
    }

  if (self->load_source_id == 0)
    self->load_source_id = g_idle_add (load_cb, self);
}

static void
filters_ready (KontorMailWebView *self)
{
  self->waiting_for_filters = FALSE;

  if (shared->filters[FILTER_ALWAYS] != NULL)
    webkit_user_content_manager_add_filter (
      webkit_web_view_get_user_content_manager (self->web_view), shared->filters[FILTER_ALWAYS]);
  schedule_load (self);
}

/* ---- Links and navigation ---- */

static gboolean
is_same_document (const char *uri)
{
  return g_str_has_prefix (uri, BASE_URI "#");
}

/* Only what a browser or mail composer should open: nothing that would run, read a
 * local file or show the message's own parts out of context. */
static gboolean
is_activatable (const char *uri)
{
  static const char *const refused[] = { "about",      "blob",       "cid",      "data", "file",
                                         "filesystem", "javascript", "vbscript", NULL };
  const char *scheme;

  if (uri == NULL)
    return FALSE;
  scheme = g_uri_peek_scheme (uri);
  return scheme != NULL && !g_strv_contains (refused, scheme);
}

static void
activate_link (KontorMailWebView *self, const char *uri)
{
  if (is_activatable (uri))
    g_signal_emit (self, signals[LINK_ACTIVATED], 0, uri);
}

static gboolean
decide_policy_cb (WebKitWebView *web_view,
                  WebKitPolicyDecision *decision,
                  WebKitPolicyDecisionType type,
                  KontorMailWebView *self)
{
  WebKitNavigationAction *action;
  const char *uri;

  if (type == WEBKIT_POLICY_DECISION_TYPE_RESPONSE)
    {
      WebKitResponsePolicyDecision *response = WEBKIT_RESPONSE_POLICY_DECISION (decision);
      WebKitURIRequest *request = webkit_response_policy_decision_get_request (response);

      if (webkit_response_policy_decision_is_main_frame_main_resource (response) &&
          g_strcmp0 (webkit_uri_request_get_uri (request), BASE_URI) == 0)
        webkit_policy_decision_use (decision);
      else
        webkit_policy_decision_ignore (decision);
      return TRUE;
    }

  action = webkit_navigation_policy_decision_get_navigation_action (
    WEBKIT_NAVIGATION_POLICY_DECISION (decision));
  uri = webkit_uri_request_get_uri (webkit_navigation_action_get_request (action));

  if (type == WEBKIT_POLICY_DECISION_TYPE_NAVIGATION_ACTION && self->expecting_load &&
      g_strcmp0 (uri, BASE_URI) == 0)
    {
      self->expecting_load = FALSE;
      webkit_policy_decision_use (decision);
      return TRUE;
    }

  if (webkit_navigation_action_get_navigation_type (action) ==
        WEBKIT_NAVIGATION_TYPE_LINK_CLICKED &&
      webkit_navigation_action_is_user_gesture (action))
    {
      if (type == WEBKIT_POLICY_DECISION_TYPE_NAVIGATION_ACTION && uri != NULL &&
          is_same_document (uri))
        {
          webkit_policy_decision_use (decision);
          return TRUE;
        }
      /* Links activated from the keyboard end up here; clicks are taken earlier. */
      activate_link (self, uri);
    }

  webkit_policy_decision_ignore (decision);
  return TRUE;
}

static void
mouse_target_changed_cb (WebKitWebView *web_view,
                         WebKitHitTestResult *hit_test_result,
                         guint modifiers,
                         KontorMailWebView *self)
{
  g_clear_pointer (&self->hovered_link, g_free);
  if (webkit_hit_test_result_context_is_link (hit_test_result))
    self->hovered_link = g_strdup (webkit_hit_test_result_get_link_uri (hit_test_result));
}

static void
pointer_left_cb (GtkEventControllerMotion *controller, KontorMailWebView *self)
{
  g_clear_pointer (&self->hovered_link, g_free);
}

/* A click on a link is taken before WebKit sees it: WebKit would connect to the
 * link's host when it starts the navigation, even one that is then refused. */
static void
click_pressed_cb (GtkGestureClick *gesture,
                  int n_press,
                  double x,
                  double y,
                  KontorMailWebView *self)
{
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture));

  if ((button == GDK_BUTTON_PRIMARY || button == GDK_BUTTON_MIDDLE) &&
      is_activatable (self->hovered_link))
    {
      g_free (self->pressed_link);
      self->pressed_link = g_strdup (self->hovered_link);
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
      return;
    }

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
}

static void
click_released_cb (GtkGestureClick *gesture,
                   int n_press,
                   double x,
                   double y,
                   KontorMailWebView *self)
{
  g_autofree char *uri = g_steal_pointer (&self->pressed_link);

  if (uri != NULL && n_press == 1)
    activate_link (self, uri);
}

static void
click_stopped_cb (GtkGestureClick *gesture, KontorMailWebView *self)
{
  g_clear_pointer (&self->pressed_link, g_free);
}

static gboolean
context_menu_cb (WebKitWebView *web_view,
                 WebKitContextMenu *menu,
                 WebKitHitTestResult *hit_test_result,
                 KontorMailWebView *self)
{
  webkit_context_menu_remove_all (menu);

  if (webkit_hit_test_result_context_is_selection (hit_test_result))
    webkit_context_menu_append (
      menu, webkit_context_menu_item_new_from_stock_action (WEBKIT_CONTEXT_MENU_ACTION_COPY));
  if (webkit_hit_test_result_context_is_link (hit_test_result) &&
      is_activatable (webkit_hit_test_result_get_link_uri (hit_test_result)))
    webkit_context_menu_append (menu, webkit_context_menu_item_new_from_stock_action (
                                        WEBKIT_CONTEXT_MENU_ACTION_COPY_LINK_TO_CLIPBOARD));
  if (webkit_hit_test_result_context_is_image (hit_test_result))
    webkit_context_menu_append (menu, webkit_context_menu_item_new_from_stock_action (
                                        WEBKIT_CONTEXT_MENU_ACTION_COPY_IMAGE_TO_CLIPBOARD));
  if (webkit_context_menu_get_n_items (menu) > 0)
    webkit_context_menu_append (menu, webkit_context_menu_item_new_separator ());
  webkit_context_menu_append (
    menu, webkit_context_menu_item_new_from_stock_action (WEBKIT_CONTEXT_MENU_ACTION_SELECT_ALL));

  return FALSE;
}

static void
load_changed_cb (WebKitWebView *web_view, WebKitLoadEvent load_event, KontorMailWebView *self)
{
  if (load_event != WEBKIT_LOAD_COMMITTED || !self->expecting_commit)
    return;

  self->expecting_commit = FALSE;
  if (self->references_remote)
    g_signal_emit (self, signals[REMOTE_CONTENT_BLOCKED], 0);
}

/* ---- Requests the page may make ---- */

static gboolean
permission_request_cb (WebKitWebView *web_view,
                       WebKitPermissionRequest *request,
                       KontorMailWebView *self)
{
  webkit_permission_request_deny (request);
  return TRUE;
}

static gboolean
authenticate_cb (WebKitWebView *web_view,
                 WebKitAuthenticationRequest *request,
                 KontorMailWebView *self)
{
  /* A password dialog raised by a mail's image is how phishing would look. */
  webkit_authentication_request_cancel (request);
  return TRUE;
}

static gboolean
run_file_chooser_cb (WebKitWebView *web_view,
                     WebKitFileChooserRequest *request,
                     KontorMailWebView *self)
{
  webkit_file_chooser_request_cancel (request);
  return TRUE;
}

static gboolean
enter_fullscreen_cb (WebKitWebView *web_view, KontorMailWebView *self)
{
  return TRUE;
}

static void
zoom_level_changed_cb (KontorMailWebView *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM_LEVEL]);
}

static void
dark_changed_cb (KontorMailWebView *self)
{
  gboolean dark =
    adw_is_initialized () && adw_style_manager_get_dark (adw_style_manager_get_default ());
  WebKitUserContentManager *manager;

  if (dark == self->dark_style_on || self->web_view == NULL)
    return;

  manager = webkit_web_view_get_user_content_manager (self->web_view);

  if (dark)
    webkit_user_content_manager_add_style_sheet (manager, shared->dark_style_sheet);
  else
    webkit_user_content_manager_remove_style_sheet (manager, shared->dark_style_sheet);
  self->dark_style_on = dark;
}

/* ---- GObject ---- */

static void
clear_resolver (KontorMailWebView *self)
{
  GDestroyNotify destroy = g_steal_pointer (&self->resolver_destroy);
  gpointer data = g_steal_pointer (&self->resolver_data);

  self->resolver = NULL;
  if (destroy != NULL)
    destroy (data);
}

static gboolean
kontor_mail_web_view_grab_focus (GtkWidget *widget)
{
  KontorMailWebView *self = KONTOR_MAIL_WEB_VIEW (widget);

  return self->web_view != NULL && gtk_widget_grab_focus (GTK_WIDGET (self->web_view));
}

static void
kontor_mail_web_view_dispose (GObject *object)
{
  KontorMailWebView *self = KONTOR_MAIL_WEB_VIEW (object);

  g_clear_handle_id (&self->load_source_id, g_source_remove);
  if (self->waiting_for_filters)
    {
      shared->waiting = g_list_remove (shared->waiting, self);
      self->waiting_for_filters = FALSE;
    }
  clear_resolver (self);
  if (self->web_view != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->web_view, self);
      gtk_widget_unparent (GTK_WIDGET (g_steal_pointer (&self->web_view)));
    }

  G_OBJECT_CLASS (kontor_mail_web_view_parent_class)->dispose (object);
}

static void
kontor_mail_web_view_finalize (GObject *object)
{
  KontorMailWebView *self = KONTOR_MAIL_WEB_VIEW (object);

  g_free (self->document);
  g_free (self->hovered_link);
  g_free (self->pressed_link);

  G_OBJECT_CLASS (kontor_mail_web_view_parent_class)->finalize (object);
}

static void
kontor_mail_web_view_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  KontorMailWebView *self = KONTOR_MAIL_WEB_VIEW (object);

  switch (prop_id)
    {
      case PROP_ALLOW_REMOTE:
        g_value_set_boolean (value, self->allow_remote);
        break;
      case PROP_ZOOM_LEVEL:
        g_value_set_double (value, kontor_mail_web_view_get_zoom_level (self));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_mail_web_view_set_property (GObject *object,
                                   guint prop_id,
                                   const GValue *value,
                                   GParamSpec *pspec)
{
  KontorMailWebView *self = KONTOR_MAIL_WEB_VIEW (object);

  switch (prop_id)
    {
      case PROP_ALLOW_REMOTE:
        kontor_mail_web_view_set_allow_remote (self, g_value_get_boolean (value));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_mail_web_view_class_init (KontorMailWebViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kontor_mail_web_view_dispose;
  object_class->finalize = kontor_mail_web_view_finalize;
  object_class->get_property = kontor_mail_web_view_get_property;
  object_class->set_property = kontor_mail_web_view_set_property;

  widget_class->grab_focus = kontor_mail_web_view_grab_focus;

  /**
   * KontorMailWebView:allow-remote:
   *
   * Whether the shown message may load remote content. It is kept for the next
   * message, so set it for each one; changing it reloads the document.
   */
  properties[PROP_ALLOW_REMOTE] =
    g_param_spec_boolean ("allow-remote", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * KontorMailWebView:zoom-level:
   *
   * The zoom factor, 1.0 being the document's own size.
   */
  properties[PROP_ZOOM_LEVEL] = g_param_spec_double (
    "zoom-level", NULL, NULL, 0.0, G_MAXDOUBLE, 1.0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * KontorMailWebView::link-activated:
   * @self: the view
   * @uri: the link's absolute target
   *
   * The user clicked or activated a link. The view never follows it; show @uri as it
   * is (the text of a link may claim another target) before opening it.
   */
  signals[LINK_ACTIVATED] =
    g_signal_new ("link-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * KontorMailWebView::remote-content-blocked:
   * @self: the view
   *
   * Emitted at most once per load, when the document has been committed, if remote
   * content is not allowed and the document asks for some. WebKit does not report
   * the loads its filter blocks, so this comes from reading the document's markup
   * (see kontor_mail_web_view_references_remote()); the blocking does not depend on it.
   */
  signals[REMOTE_CONTENT_BLOCKED] =
    g_signal_new ("remote-content-blocked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "kontor-mail-web-view");
}

static void
kontor_mail_web_view_init (KontorMailWebView *self)
{
  g_autoptr (WebKitUserContentManager) manager = webkit_user_content_manager_new ();
  GtkGesture *click;
  GtkEventController *motion;
  GdkRGBA transparent = { 0, 0, 0, 0 };

  ensure_shared ();

  self->web_view =
    g_object_new (WEBKIT_TYPE_WEB_VIEW, "web-context", shared->context, "network-session",
                  shared->session, "settings", shared->settings, "user-content-manager", manager,
                  "website-policies", shared->policies, "hexpand", TRUE, "vexpand", TRUE, NULL);
  gtk_widget_set_parent (GTK_WIDGET (self->web_view), GTK_WIDGET (self));

  /* The widget itself draws the style's view colour behind the page. */
  gtk_widget_add_css_class (GTK_WIDGET (self), "view");
  webkit_web_view_set_background_color (self->web_view, &transparent);

  g_signal_connect (self->web_view, "decide-policy", G_CALLBACK (decide_policy_cb), self);
  g_signal_connect (self->web_view, "mouse-target-changed", G_CALLBACK (mouse_target_changed_cb),
                    self);
  g_signal_connect (self->web_view, "context-menu", G_CALLBACK (context_menu_cb), self);
  g_signal_connect (self->web_view, "load-changed", G_CALLBACK (load_changed_cb), self);
  g_signal_connect (self->web_view, "permission-request", G_CALLBACK (permission_request_cb), self);
  g_signal_connect (self->web_view, "authenticate", G_CALLBACK (authenticate_cb), self);
  g_signal_connect (self->web_view, "run-file-chooser", G_CALLBACK (run_file_chooser_cb), self);
  g_signal_connect (self->web_view, "enter-fullscreen", G_CALLBACK (enter_fullscreen_cb), self);
  g_signal_connect_swapped (self->web_view, "notify::zoom-level",
                            G_CALLBACK (zoom_level_changed_cb), self);

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), 0);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  g_signal_connect (click, "pressed", G_CALLBACK (click_pressed_cb), self);
  g_signal_connect (click, "released", G_CALLBACK (click_released_cb), self);
  g_signal_connect (click, "stopped", G_CALLBACK (click_stopped_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "leave", G_CALLBACK (pointer_left_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  if (adw_is_initialized ())
    g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                             G_CALLBACK (dark_changed_cb), self, G_CONNECT_SWAPPED);
  dark_changed_cb (self);

  if (shared->filters_pending == 0)
    filters_ready (self);
}

/**
 * kontor_mail_web_view_new:
 *
 * Returns: (transfer floating): a new, empty view
 */
GtkWidget *
kontor_mail_web_view_new (void)
{
  return g_object_new (KONTOR_TYPE_MAIL_WEB_VIEW, NULL);
}

/**
 * kontor_mail_web_view_load:
 * @self: a #KontorMailWebView
 * @html_document: the complete HTML document of the body, UTF-8
 * @resolver: (scope notified) (nullable): maps the document's `cid:` URIs to parts
 * @user_data: data for @resolver
 * @destroy: (nullable): frees @user_data once the view no longer needs it
 *
 * Shows @html_document, with remote content blocked unless
 * #KontorMailWebView:allow-remote is set. The document is loaded from an idle
 * callback, so setting #KontorMailWebView:allow-remote just before or just after
 * this loads it only once.
 */
void
kontor_mail_web_view_load (KontorMailWebView *self,
                           const char *html_document,
                           KontorMailWebViewResolver resolver,
                           gpointer user_data,
                           GDestroyNotify destroy)
{
  g_return_if_fail (KONTOR_IS_MAIL_WEB_VIEW (self));
  g_return_if_fail (html_document != NULL);

  clear_resolver (self);
  self->resolver = resolver;
  self->resolver_data = user_data;
  self->resolver_destroy = destroy;

  g_free (self->document);
  self->document = g_strdup (html_document);

  schedule_load (self);
}

/**
 * kontor_mail_web_view_set_allow_remote:
 * @self: a #KontorMailWebView
 * @allow_remote: whether the shown message may load remote content
 *
 * Allows or blocks remote content and reloads the shown message. The setting stays
 * for the messages loaded after it, so a caller sets it for each message (the sender
 * may be trusted or not); the default is %FALSE.
 */
void
kontor_mail_web_view_set_allow_remote (KontorMailWebView *self, gboolean allow_remote)
{
  g_return_if_fail (KONTOR_IS_MAIL_WEB_VIEW (self));

  allow_remote = !!allow_remote;
  if (self->allow_remote == allow_remote)
    return;

  self->allow_remote = allow_remote;
  schedule_load (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ALLOW_REMOTE]);
}

gboolean
kontor_mail_web_view_get_allow_remote (KontorMailWebView *self)
{
  g_return_val_if_fail (KONTOR_IS_MAIL_WEB_VIEW (self), FALSE);

  return self->allow_remote;
}

void
kontor_mail_web_view_zoom_in (KontorMailWebView *self)
{
  double level;

  g_return_if_fail (KONTOR_IS_MAIL_WEB_VIEW (self));
  g_return_if_fail (self->web_view != NULL);

  level = webkit_web_view_get_zoom_level (self->web_view);
  for (guint i = 0; i < G_N_ELEMENTS (zoom_levels); i++)
    {
      if (zoom_levels[i] > level + 0.001)
        {
          webkit_web_view_set_zoom_level (self->web_view, zoom_levels[i]);
          return;
        }
    }
}

void
kontor_mail_web_view_zoom_out (KontorMailWebView *self)
{
  double level;

  g_return_if_fail (KONTOR_IS_MAIL_WEB_VIEW (self));
  g_return_if_fail (self->web_view != NULL);

  level = webkit_web_view_get_zoom_level (self->web_view);
  for (guint i = G_N_ELEMENTS (zoom_levels); i > 0; i--)
    {
      if (zoom_levels[i - 1] < level - 0.001)
        {
          webkit_web_view_set_zoom_level (self->web_view, zoom_levels[i - 1]);
          return;
        }
    }
}

void
kontor_mail_web_view_zoom_reset (KontorMailWebView *self)
{
  g_return_if_fail (KONTOR_IS_MAIL_WEB_VIEW (self));
  g_return_if_fail (self->web_view != NULL);

  webkit_web_view_set_zoom_level (self->web_view, 1.0);
}

double
kontor_mail_web_view_get_zoom_level (KontorMailWebView *self)
{
  g_return_val_if_fail (KONTOR_IS_MAIL_WEB_VIEW (self), 1.0);

  return self->web_view != NULL ? webkit_web_view_get_zoom_level (self->web_view) : 1.0;
}
