/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-web-view.h: the widget that shows one mail body's HTML, safely. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define KONTOR_TYPE_MAIL_WEB_VIEW (kontor_mail_web_view_get_type ())

G_DECLARE_FINAL_TYPE (KontorMailWebView, kontor_mail_web_view, KONTOR, MAIL_WEB_VIEW, GtkWidget)

/**
 * KontorMailWebViewResolver:
 * @cid_uri: the `cid:` URI the document asks for, as WebKit requests it (the
 *   Content-ID may still be percent-encoded, RFC 2392)
 * @mime_type: (out) (transfer full) (optional): the part's content type
 * @user_data: the data given to kontor_mail_web_view_load()
 *
 * Maps a `cid:` URI of the shown message to the body of one of its parts. It is
 * called on the main thread while the page loads, so it must answer from memory.
 *
 * Returns: (transfer full) (nullable): the part's bytes, or %NULL if the message
 *   has no such part
 */
typedef GBytes *(*KontorMailWebViewResolver) (const char *cid_uri,
                                              char **mime_type,
                                              gpointer user_data);

/*
 * KontorMailWebView shows one mail body. It wraps a WebKitWebView that no caller can
 * reach, so nothing can load a URI into it or loosen its settings:
 *
 * - JavaScript (and its markup), media, WebGL, WebAudio, local storage, page cache
 *   and developer extras are off; every permission, authentication, file chooser,
 *   fullscreen and download request is refused.
 * - All views share one WebKitWebContext with an ephemeral WebKitNetworkSession that
 *   never stores cookies, made on first use.
 * - The document is loaded with the base URI `about:blank`, which grants nothing;
 *   relative URLs resolve only through a `<base>` the mail brings, and those loads
 *   are blocked like any other.
 * - Remote content (anything but `cid:`, `data:` and `about:`) is blocked by a
 *   WebKitUserContentFilter, not only by the CSP the document may carry, unless
 *   kontor_mail_web_view_set_allow_remote() allowed it. Pings and `file:` loads are
 *   blocked even then.
 * - Nothing navigates inside the view: a click (primary or middle button) on a link,
 *   or a link activated from the keyboard, emits #KontorMailWebView::link-activated
 *   with the absolute target, and the caller decides what to do with it. Links to
 *   `#fragment`s in the same document still scroll. Meta refreshes, form submissions,
 *   frames and new windows are ignored, so `<iframe>`/`<object>` stay empty. Clicks
 *   are taken before WebKit sees them; for a link activated from the keyboard WebKit
 *   opens a connection to the link's host (no request is sent) before the view
 *   refuses the navigation.
 * - The context menu has only Copy, Copy Link, Copy Image and Select All.
 *
 * Size: the view fills the space it is given and scrolls its content itself; put it
 * below the message headers in a box with vexpand rather than inside a
 * GtkScrolledWindow.
 *
 * Remote content: blocked by default. The setting is kept from one message to the
 * next, so set it for every message; changing it reloads the document, and setting
 * it just before or after kontor_mail_web_view_load() loads the message only once.
 * #KontorMailWebView::remote-content-blocked is emitted once per load when the
 * document asks for remote content that is blocked. WebKit does not report what its
 * filter blocked, so this comes from reading the markup
 * (kontor_mail_web_view_references_remote()), which never decides what loads.
 *
 * Dark style: the view's background follows the view colour of the current style
 * (AdwStyleManager) and, when dark, a mail without colours of its own is shown light
 * on dark. A mail that sets colours or has its own style sheet is shown on a light
 * page as its author designed it; a `<style>` the document builder adds for its own
 * layout should carry the `data-kontor-style` attribute so that it does not count.
 */

GtkWidget *kontor_mail_web_view_new (void);

void kontor_mail_web_view_load (KontorMailWebView *self,
                                const char *html_document,
                                KontorMailWebViewResolver resolver,
                                gpointer user_data,
                                GDestroyNotify destroy);

void kontor_mail_web_view_set_allow_remote (KontorMailWebView *self, gboolean allow_remote);
gboolean kontor_mail_web_view_get_allow_remote (KontorMailWebView *self);

void kontor_mail_web_view_zoom_in (KontorMailWebView *self);
void kontor_mail_web_view_zoom_out (KontorMailWebView *self);
void kontor_mail_web_view_zoom_reset (KontorMailWebView *self);
double kontor_mail_web_view_get_zoom_level (KontorMailWebView *self);

gboolean kontor_mail_web_view_references_remote (const char *html_document);

G_END_DECLS
