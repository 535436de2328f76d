/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-html.h: text and HTML transforms of the mail reader (plain text to HTML,
 * HTML to plain text, format=flowed, remote-content detection, the reader document). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *kontor_mail_text_to_html (const char *text);
char *kontor_mail_text_unflow (const char *text, gboolean delsp);
char *kontor_mail_html_to_text (const char *html);
gboolean kontor_mail_html_has_remote_content (const char *html);
GHashTable *kontor_mail_html_dup_cid_references (const char *html);
char *kontor_mail_html_build_document (const char *body, gboolean is_html, gboolean allow_remote);
char *kontor_mail_html_sniff_charset (const char *html, gsize length);

G_END_DECLS
