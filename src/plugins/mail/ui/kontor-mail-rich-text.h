/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-rich-text.h: a rich message text kept in a GtkTextBuffer's tags, and its
 * HTML and plain-text forms. Needs no display, so it is tested on its own. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define KONTOR_MAIL_RICH_TEXT_MAX_LEVEL 3

typedef enum
{
  KONTOR_MAIL_RICH_TEXT_LIST_NONE,
  KONTOR_MAIL_RICH_TEXT_LIST_BULLET,
  KONTOR_MAIL_RICH_TEXT_LIST_NUMBER,
} KontorMailRichTextList;

/* What a whole line (paragraph) is. */
typedef struct
{
  gboolean quote;
  KontorMailRichTextList list;
  guint level; /* 1 to KONTOR_MAIL_RICH_TEXT_MAX_LEVEL for list items, else 0 */
} KontorMailRichTextLine;

void kontor_mail_rich_text_init_buffer (GtkTextBuffer *buffer);
void
kontor_mail_rich_text_get_line (GtkTextBuffer *buffer, int line, KontorMailRichTextLine *style);
void kontor_mail_rich_text_set_line (GtkTextBuffer *buffer,
                                     int line,
                                     const KontorMailRichTextLine *style);
void kontor_mail_rich_text_update_markers (GtkTextBuffer *buffer);
gboolean kontor_mail_rich_text_has_formatting (GtkTextBuffer *buffer);
gboolean kontor_mail_rich_text_is_marker (const GtkTextIter *iter);

void kontor_mail_rich_text_apply_link (GtkTextBuffer *buffer,
                                       const GtkTextIter *start,
                                       const GtkTextIter *end,
                                       const char *url);
const char *kontor_mail_rich_text_get_link (const GtkTextIter *iter);
void kontor_mail_rich_text_insert_image (GtkTextBuffer *buffer,
                                         GtkTextIter *iter,
                                         const char *path,
                                         const char *content_id);
const char *kontor_mail_rich_text_anchor_get_path (GtkTextChildAnchor *anchor);

char *kontor_mail_rich_text_to_plain (GtkTextBuffer *buffer);
void kontor_mail_rich_text_set_plain (GtkTextBuffer *buffer, const char *text);

/* kontor-mail-rich-text-html.c */
char *kontor_mail_rich_text_to_html (GtkTextBuffer *buffer, GStrv *out_paths, GStrv *out_ids);
gboolean kontor_mail_rich_text_set_html (GtkTextBuffer *buffer,
                                         const char *html,
                                         const char *const *paths,
                                         const char *const *ids,
                                         GError **error);

G_END_DECLS
