/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-rich-text-read.c: HTML back into the rich text, for a draft that opens
 * again or Mail1.Compose's "html-body": the subset kontor-mail-rich-text-html.c writes
 * (plus <p>, <strong> and <em>), read with GMarkup, so it must be well-formed. Line
 * breaks in the source are layout; a no-break space stands for a space. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include <string.h>

#include "kontor-mail-rich-text.h"

enum
{
  STYLE_LINK,
  STYLE_BOLD,
  STYLE_ITALIC,
  STYLE_UNDERLINE,
  N_STYLES
};

static const char *const style_tags[] = { NULL, "bold", "italic", "underline" };

typedef struct
{
  GtkTextBuffer *buffer;
  GHashTable *images; /* Content-ID -> file */
  KontorMailRichTextList lists[KONTOR_MAIL_RICH_TEXT_MAX_LEVEL + 1];
  guint depth; /* of lists, may go past the levels kept */
  guint quote; /* blockquotes open */
  guint styles[N_STYLES];
  GPtrArray *urls; /* of the open <a>s, NULL for one without href */
  gboolean line_open;
  int line;
  KontorMailRichTextLine style; /* of the open line */
} Reader;

static void
end_line (Reader *r)
{
  GtkTextIter end;

  if (!r->line_open)
    return;
  gtk_text_buffer_get_end_iter (r->buffer, &end);
  gtk_text_buffer_insert (r->buffer, &end, "\n", 1);
  kontor_mail_rich_text_set_line (r->buffer, r->line, &r->style);
  r->line_open = FALSE;
}

static void
begin_line (Reader *r)
{
  KontorMailRichTextLine *style = &r->style;

  if (r->line_open)
    return;
  r->line_open = TRUE;
  r->line = gtk_text_buffer_get_line_count (r->buffer) - 1;
  memset (style, 0, sizeof *style);
  style->quote = r->quote > 0;
  if (r->depth > 0)
    {
      style->level = MIN (r->depth, KONTOR_MAIL_RICH_TEXT_MAX_LEVEL);
      style->list = r->lists[style->level];
      /* Its marker first; the tags cover the whole line once it ends. */
      kontor_mail_rich_text_set_line (r->buffer, r->line, style);
    }
}

static const char *
current_url (Reader *r)
{
  for (guint i = r->urls->len; i > 0; i--)
    if (g_ptr_array_index (r->urls, i - 1) != NULL)
      return g_ptr_array_index (r->urls, i - 1);
  return NULL;
}

static void
insert_styled (Reader *r, const char *text, gsize length)
{
  GtkTextIter start, end;
  int offset;

  begin_line (r);
  gtk_text_buffer_get_end_iter (r->buffer, &end);
  offset = gtk_text_iter_get_offset (&end);
  gtk_text_buffer_insert (r->buffer, &end, text, (int) length);
  gtk_text_buffer_get_iter_at_offset (r->buffer, &start, offset);
  gtk_text_buffer_get_end_iter (r->buffer, &end);
  for (guint s = STYLE_BOLD; s < N_STYLES; s++)
    if (r->styles[s] > 0)
      gtk_text_buffer_apply_tag_by_name (r->buffer, style_tags[s], &start, &end);
  if (current_url (r) != NULL)
    kontor_mail_rich_text_apply_link (r->buffer, &start, &end, current_url (r));
}

static const char *
attribute (const char **names, const char **values, const char *wanted)
{
  for (guint i = 0; names[i] != NULL; i++)
    if (g_ascii_strcasecmp (names[i], wanted) == 0)
      return values[i];
  return NULL;
}

static void
start_element_cb (GMarkupParseContext *context,
                  const char *element,
                  const char **names,
                  const char **values,
                  gpointer data,
                  GError **error)
{
  Reader *r = data;

  if (g_str_equal (element, "b") || g_str_equal (element, "strong"))
    r->styles[STYLE_BOLD]++;
  else if (g_str_equal (element, "i") || g_str_equal (element, "em"))
    r->styles[STYLE_ITALIC]++;
  else if (g_str_equal (element, "u"))
    r->styles[STYLE_UNDERLINE]++;
  else if (g_str_equal (element, "a"))
    g_ptr_array_add (r->urls, g_strdup (attribute (names, values, "href")));
  else if (g_str_equal (element, "br"))
    {
      begin_line (r);
      end_line (r);
    }
  else if (g_str_equal (element, "img"))
    {
      const char *src = attribute (names, values, "src");
      const char *alt = attribute (names, values, "alt");
      const char *path = src != NULL && g_str_has_prefix (src, "cid:")
                           ? g_hash_table_lookup (r->images, src + 4)
                           : NULL;
      GtkTextIter end;

      if (path == NULL)
        {
          if (alt != NULL)
            insert_styled (r, alt, strlen (alt));
          return;
        }
      begin_line (r);
      gtk_text_buffer_get_end_iter (r->buffer, &end);
      kontor_mail_rich_text_insert_image (r->buffer, &end, path, src + 4);
    }
  else if (g_str_equal (element, "ul") || g_str_equal (element, "ol"))
    {
      end_line (r);
      r->depth++;
      if (r->depth <= KONTOR_MAIL_RICH_TEXT_MAX_LEVEL)
        r->lists[r->depth] =
          element[0] == 'o' ? KONTOR_MAIL_RICH_TEXT_LIST_NUMBER : KONTOR_MAIL_RICH_TEXT_LIST_BULLET;
    }
  else if (g_str_equal (element, "blockquote"))
    {
      end_line (r);
      r->quote++;
    }
  else if (g_str_equal (element, "div") || g_str_equal (element, "p") ||
           g_str_equal (element, "li"))
    end_line (r);
}

static void
end_element_cb (GMarkupParseContext *context, const char *element, gpointer data, GError **error)
{
  Reader *r = data;

  if (g_str_equal (element, "b") || g_str_equal (element, "strong"))
    r->styles[STYLE_BOLD]--;
  else if (g_str_equal (element, "i") || g_str_equal (element, "em"))
    r->styles[STYLE_ITALIC]--;
  else if (g_str_equal (element, "u"))
    r->styles[STYLE_UNDERLINE]--;
  else if (g_str_equal (element, "a") && r->urls->len > 0)
    g_ptr_array_set_size (r->urls, r->urls->len - 1);
  else if (g_str_equal (element, "ul") || g_str_equal (element, "ol"))
    {
      end_line (r);
      r->depth--;
    }
  else if (g_str_equal (element, "blockquote"))
    {
      end_line (r);
      r->quote--;
    }
  else if (g_str_equal (element, "div") || g_str_equal (element, "p") ||
           g_str_equal (element, "li"))
    end_line (r);
}

static void
text_cb (GMarkupParseContext *context,
         const char *text,
         gsize length,
         gpointer data,
         GError **error)
{
  Reader *r = data;
  const char *element = g_markup_parse_context_get_element (context);
  GString *kept = g_string_sized_new (length);

  if (element == NULL || g_str_equal (element, "head") || g_str_equal (element, "title") ||
      g_str_equal (element, "style"))
    return;
  /* Line breaks in the source are layout; no-break spaces stand for spaces. */
  for (const char *p = text; p < text + length; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == 0xA0)
        g_string_append_c (kept, ' ');
      else if (c != '\n' && c != '\r')
        g_string_append_unichar (kept, c);
    }
  if (kept->len > 0)
    insert_styled (r, kept->str, kept->len);
  g_string_free (kept, TRUE);
}

/**
 * kontor_mail_rich_text_set_html:
 * @paths, @ids: the files of the images the HTML refers to as "cid:ID"
 *
 * Replaces the buffer's text with @html, the subset kontor_mail_rich_text_to_html()
 * writes. Returns: FALSE with a G_MARKUP_ERROR when it is not well-formed
 */
gboolean
kontor_mail_rich_text_set_html (GtkTextBuffer *buffer,
                                const char *html,
                                const char *const *paths,
                                const char *const *ids,
                                GError **error)
{
  static const GMarkupParser parser = { start_element_cb, end_element_cb, text_cb, NULL, NULL };
  Reader r = { 0 };
  g_autoptr (GMarkupParseContext) context = NULL;
  GtkTextIter start, end;
  gboolean ok;

  kontor_mail_rich_text_init_buffer (buffer);
  gtk_text_buffer_set_text (buffer, "", -1);
  r.buffer = buffer;
  r.images = g_hash_table_new (g_str_hash, g_str_equal);
  r.urls = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; paths != NULL && ids != NULL && paths[i] != NULL && ids[i] != NULL; i++)
    g_hash_table_insert (r.images, (gpointer) ids[i], (gpointer) paths[i]);
  context = g_markup_parse_context_new (&parser, G_MARKUP_TREAT_CDATA_AS_TEXT, &r, NULL);
  ok = g_markup_parse_context_parse (context, html, -1, error) &&
       g_markup_parse_context_end_parse (context, error);
  g_hash_table_unref (r.images);
  g_ptr_array_unref (r.urls);
  if (!ok)
    {
      gtk_text_buffer_set_text (buffer, "", -1);
      return FALSE;
    }
  /* Every line ended with a newline; the text does not. */
  gtk_text_buffer_get_end_iter (buffer, &end);
  start = end;
  if (gtk_text_iter_backward_char (&start) && gtk_text_iter_get_char (&start) == '\n')
    gtk_text_buffer_delete (buffer, &start, &end);
  kontor_mail_rich_text_update_markers (buffer);
  gtk_text_buffer_get_start_iter (buffer, &start);
  gtk_text_buffer_place_cursor (buffer, &start);
  return TRUE;
}
