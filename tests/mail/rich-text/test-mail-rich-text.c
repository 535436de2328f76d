/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-mail-rich-text.c: what a rich message's tags become in HTML and in the plain
 * part, that both escape what needs it, and that HTML read back gives the same tags. */
#include "config.h"

#include <gtk/gtk.h>

#include "kontor-mail-rich-text.h"

static GtkTextBuffer *
buffer_new (void)
{
  GtkTextBuffer *buffer = gtk_text_buffer_new (NULL);

  kontor_mail_rich_text_init_buffer (buffer);
  return buffer;
}

/* Appends @text with the named tags. */
static void
add (GtkTextBuffer *buffer, const char *text, const char *tag)
{
  GtkTextIter end;

  gtk_text_buffer_get_end_iter (buffer, &end);
  if (tag != NULL)
    gtk_text_buffer_insert_with_tags_by_name (buffer, &end, text, -1, tag, NULL);
  else
    gtk_text_buffer_insert (buffer, &end, text, -1);
}

static void
set_line (GtkTextBuffer *buffer, int line, gboolean quote, KontorMailRichTextList list, guint level)
{
  KontorMailRichTextLine style = { quote, list, level };

  kontor_mail_rich_text_set_line (buffer, line, &style);
}

/* The part of the HTML between <body> and </body>, without line breaks. */
static char *
body_of (const char *html)
{
  const char *start = strstr (html, "<body>");
  const char *end = strstr (html, "</body>");
  g_autofree char *body = NULL;
  g_auto (GStrv) lines = NULL;

  g_assert_nonnull (start);
  g_assert_nonnull (end);
  body = g_strndup (start + 6, end - start - 6);
  lines = g_strsplit (body, "\n", -1);
  return g_strjoinv ("", lines);
}

static char *
html_body (GtkTextBuffer *buffer)
{
  g_auto (GStrv) paths = NULL;
  g_auto (GStrv) ids = NULL;
  g_autofree char *html = kontor_mail_rich_text_to_html (buffer, &paths, &ids);

  return body_of (html);
}

static void
test_inline (void)
{
  g_autoptr (GtkTextBuffer) buffer = buffer_new ();
  GtkTextIter start, end;
  g_autofree char *html = NULL;
  g_autofree char *plain = NULL;

  add (buffer, "Plain, ", NULL);
  add (buffer, "bold", "bold");
  add (buffer, " and ", NULL);
  add (buffer, "under", "underline");
  add (buffer, " <tags> & \"quotes\"  twice\nsee ", NULL);
  add (buffer, "the site", NULL);
  gtk_text_buffer_get_end_iter (buffer, &end);
  start = end;
  gtk_text_iter_backward_chars (&start, 8);
  kontor_mail_rich_text_apply_link (buffer, &start, &end, "https://example.org/?a=1&b=2");
  /* Bold across an italic word: the elements nest, never overlap. */
  gtk_text_buffer_get_iter_at_line_offset (buffer, &start, 0, 7);
  gtk_text_buffer_get_iter_at_line_offset (buffer, &end, 0, 9);
  gtk_text_buffer_apply_tag_by_name (buffer, "italic", &start, &end);

  html = html_body (buffer);
  g_assert_cmpstr (html, ==,
                   "<div>Plain, <b><i>bo</i>ld</b> and <u>under</u> &lt;tags&gt; &amp; "
                   "&quot;quotes&quot; &#160;twice</div>"
                   "<div>see <a href=\"https://example.org/?a=1&amp;b=2\">the site</a></div>");
  plain = kontor_mail_rich_text_to_plain (buffer);
  g_assert_cmpstr (plain, ==,
                   "Plain, bold and under <tags> & \"quotes\"  twice\n"
                   "see the site <https://example.org/?a=1&b=2>");
  g_assert_true (kontor_mail_rich_text_has_formatting (buffer));
}

static void
test_lists (void)
{
  g_autoptr (GtkTextBuffer) buffer = buffer_new ();
  g_autofree char *html = NULL;
  g_autofree char *plain = NULL;

  add (buffer,
       "Agenda:\nfirst\nsecond\ndetail a\ndetail b\nthird\nwhat is left\nall\n"
       "Cheers",
       NULL);
  set_line (buffer, 1, FALSE, KONTOR_MAIL_RICH_TEXT_LIST_NUMBER, 1);
  set_line (buffer, 2, FALSE, KONTOR_MAIL_RICH_TEXT_LIST_NUMBER, 1);
  set_line (buffer, 3, FALSE, KONTOR_MAIL_RICH_TEXT_LIST_BULLET, 2);
  set_line (buffer, 4, FALSE, KONTOR_MAIL_RICH_TEXT_LIST_BULLET, 2);
  set_line (buffer, 5, FALSE, KONTOR_MAIL_RICH_TEXT_LIST_NUMBER, 1);
  set_line (buffer, 6, TRUE, KONTOR_MAIL_RICH_TEXT_LIST_NONE, 0);
  set_line (buffer, 7, TRUE, KONTOR_MAIL_RICH_TEXT_LIST_BULLET, 1);
  kontor_mail_rich_text_update_markers (buffer);

  {
    g_autofree char *shown = NULL;
    GtkTextIter start, end;

    gtk_text_buffer_get_bounds (buffer, &start, &end);
    shown = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    g_assert_cmpstr (shown, ==,
                     "Agenda:\n1. first\n2. second\n• detail a\n• detail b\n3. third\n"
                     "what is left\n• all\nCheers");
  }
  html = html_body (buffer);
  g_assert_cmpstr (html, ==,
                   "<div>Agenda:</div>"
                   "<ol><li>first</li><li>second<ul><li>detail a</li><li>detail b</li></ul>"
                   "</li><li>third</li></ol>"
                   "<blockquote style=\"margin:0 0 0 0.8ex;border-left:2px solid #8f8f8f;"
                   "padding-left:1ex\"><div>what is left</div><ul><li>all</li></ul>"
                   "</blockquote><div>Cheers</div>");
  plain = kontor_mail_rich_text_to_plain (buffer);
  g_assert_cmpstr (plain, ==,
                   "Agenda:\n1. first\n2. second\n  - detail a\n  - detail b\n3. third\n"
                   "> what is left\n> - all\nCheers");
}

static void
test_markers (void)
{
  g_autoptr (GtkTextBuffer) buffer = buffer_new ();
  KontorMailRichTextLine style;
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  add (buffer, "one\ntwo", NULL);
  set_line (buffer, 0, FALSE, KONTOR_MAIL_RICH_TEXT_LIST_NUMBER, 1);
  set_line (buffer, 1, FALSE, KONTOR_MAIL_RICH_TEXT_LIST_NUMBER, 1);
  kontor_mail_rich_text_update_markers (buffer);
  /* Backspace at the start of the second item takes its marker apart: no item any more. */
  gtk_text_buffer_get_iter_at_line_offset (buffer, &start, 1, 2);
  end = start;
  gtk_text_iter_forward_char (&end);
  gtk_text_buffer_delete (buffer, &start, &end);
  kontor_mail_rich_text_update_markers (buffer);
  kontor_mail_rich_text_get_line (buffer, 1, &style);
  g_assert_cmpint (style.list, ==, KONTOR_MAIL_RICH_TEXT_LIST_NONE);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_assert_cmpstr (text, ==, "1. one\ntwo");
}

static void
test_round_trip (void)
{
  g_autoptr (GtkTextBuffer) buffer = buffer_new ();
  g_autoptr (GtkTextBuffer) again = buffer_new ();
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) paths = NULL;
  g_auto (GStrv) ids = NULL;
  g_auto (GStrv) paths2 = NULL;
  g_auto (GStrv) ids2 = NULL;
  g_autofree char *html = NULL;
  g_autofree char *html2 = NULL;
  g_autofree char *plain = NULL;
  GtkTextIter iter, start, end;

  add (buffer, "Hi <all> & ", NULL);
  add (buffer, "bold", "bold");
  add (buffer, "\n\n  spaced\nitem\nsub\nnext\nquoted ", NULL);
  add (buffer, "it", "italic");
  add (buffer, "\nlink here\n", NULL);
  set_line (buffer, 3, FALSE, KONTOR_MAIL_RICH_TEXT_LIST_BULLET, 1);
  set_line (buffer, 4, FALSE, KONTOR_MAIL_RICH_TEXT_LIST_NUMBER, 2);
  set_line (buffer, 5, FALSE, KONTOR_MAIL_RICH_TEXT_LIST_BULLET, 1);
  set_line (buffer, 6, TRUE, KONTOR_MAIL_RICH_TEXT_LIST_NONE, 0);
  kontor_mail_rich_text_update_markers (buffer);
  gtk_text_buffer_get_iter_at_line (buffer, &start, 7);
  end = start;
  gtk_text_iter_forward_to_line_end (&end);
  kontor_mail_rich_text_apply_link (buffer, &start, &end, "mailto:ada@example.net");
  gtk_text_buffer_get_iter_at_line_offset (buffer, &iter, 0, 3);
  kontor_mail_rich_text_insert_image (buffer, &iter, "/pictures/chart 1.png", "chart@kontor");

  html = kontor_mail_rich_text_to_html (buffer, &paths, &ids);
  g_assert_cmpstr (paths[0], ==, "/pictures/chart 1.png");
  g_assert_cmpstr (ids[0], ==, "chart@kontor");
  g_assert_null (paths[1]);
  g_assert_nonnull (strstr (html, "<img src=\"cid:chart@kontor\" alt=\"chart 1.png\""));
  plain = kontor_mail_rich_text_to_plain (buffer);
  g_assert_cmpstr (plain, ==,
                   "Hi [chart 1.png]<all> & bold\n\n  spaced\n- item\n  1. sub\n- next\n"
                   "> quoted it\nlink here <mailto:ada@example.net>\n");

  g_assert_true (kontor_mail_rich_text_set_html (again, html, (const char *const *) paths,
                                                 (const char *const *) ids, &error));
  g_assert_no_error (error);
  html2 = kontor_mail_rich_text_to_html (again, &paths2, &ids2);
  g_assert_cmpstr (html2, ==, html);
  g_assert_cmpstr (paths2[0], ==, paths[0]);

  /* Not well-formed: an error, and nothing half read. */
  g_assert_false (kontor_mail_rich_text_set_html (again, "<div><b>x</div>", NULL, NULL, &error));
  g_assert_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_PARSE);
  gtk_text_buffer_get_bounds (again, &start, &end);
  g_assert_true (gtk_text_iter_equal (&start, &end));
}

static void
test_plain_quote (void)
{
  g_autoptr (GtkTextBuffer) buffer = buffer_new ();
  g_autofree char *plain = NULL;
  g_autofree char *html = NULL;

  kontor_mail_rich_text_set_plain (buffer, "Ada wrote:\n> Hello\n>\n>> older\n\nReply");
  plain = kontor_mail_rich_text_to_plain (buffer);
  g_assert_cmpstr (plain, ==, "Ada wrote:\n> Hello\n>\n> > older\n\nReply");
  html = html_body (buffer);
  g_assert_nonnull (strstr (html, "<div>Hello</div><div><br/></div><div>&gt; older</div>"));
  g_assert_false (kontor_mail_rich_text_has_formatting (buffer) == FALSE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/kontor/mail-rich-text/inline", test_inline);
  g_test_add_func ("/kontor/mail-rich-text/lists", test_lists);
  g_test_add_func ("/kontor/mail-rich-text/markers", test_markers);
  g_test_add_func ("/kontor/mail-rich-text/round-trip", test_round_trip);
  g_test_add_func ("/kontor/mail-rich-text/plain-quote", test_plain_quote);
  return g_test_run ();
}
