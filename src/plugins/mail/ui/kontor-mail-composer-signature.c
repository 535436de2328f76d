/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-composer-signature.c: the signature of the address the message is sent
 * from, "-- " on a line of its own and then the text (RFC 3676), at the end of a new
 * message and below the quote of a reply or forward. Two marks hold it; while the text
 * between them is still what was inserted, choosing another From swaps it for that
 * address's signature. Once the user edited it, it is theirs and stays. A draft that
 * is restored had its signature inserted already and gets none. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include "kontor-mail-composer-private.h"
#include "kontor-mail-identities.h"

#define START_MARK "kontor-signature-start"
#define END_MARK   "kontor-signature-end"

/* The address the From list has chosen, or NULL. */
static char *
dup_from_address (KontorMailComposer *self)
{
  guint from = gtk_drop_down_get_selected (self->from_dropdown);
  g_autoptr (CamelInternetAddress) address = camel_internet_address_new ();
  const char *email = NULL;

  if (self->senders == NULL || from >= g_strv_length (self->senders) ||
      camel_address_decode (CAMEL_ADDRESS (address), self->senders[from]) <= 0 ||
      !camel_internet_address_get (address, 0, NULL, &email))
    return NULL;
  return g_strdup (email);
}

static char *
dup_signature_text (GtkTextBuffer *buffer, GtkTextMark *start, GtkTextMark *end)
{
  GtkTextIter from, to;

  gtk_text_buffer_get_iter_at_mark (buffer, &from, start);
  gtk_text_buffer_get_iter_at_mark (buffer, &to, end);
  return gtk_text_buffer_get_text (buffer, &from, &to, FALSE);
}

/* Puts @block between the marks at @offset, the marks made if needed. */
static void
place (GtkTextBuffer *buffer, int offset, const char *block)
{
  GtkTextMark *start = gtk_text_buffer_get_mark (buffer, START_MARK);
  GtkTextMark *end = gtk_text_buffer_get_mark (buffer, END_MARK);
  GtkTextIter at, after;

  gtk_text_buffer_get_iter_at_offset (buffer, &at, offset);
  gtk_text_buffer_insert (buffer, &at, block, -1);
  gtk_text_buffer_get_iter_at_offset (buffer, &at, offset);
  gtk_text_buffer_get_iter_at_offset (buffer, &after, offset + g_utf8_strlen (block, -1));
  /* Text typed just before the signature is not part of it; text typed at its end is. */
  if (start == NULL)
    gtk_text_buffer_create_mark (buffer, START_MARK, &at, FALSE);
  else
    gtk_text_buffer_move_mark (buffer, start, &at);
  if (end == NULL)
    gtk_text_buffer_create_mark (buffer, END_MARK, &after, FALSE);
  else
    gtk_text_buffer_move_mark (buffer, end, &after);
}

/* The signature for the chosen From, unless the user made the one there their own. */
static void
update (KontorMailComposer *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->body_view);
  GtkTextMark *start = gtk_text_buffer_get_mark (buffer, START_MARK);
  GtkTextMark *end = gtk_text_buffer_get_mark (buffer, END_MARK);
  g_autofree char *address = NULL;
  g_autoptr (KontorAccount) account = NULL;
  g_autofree char *text = NULL;
  g_autofree char *block = NULL;
  gboolean filling = self->filling;
  GtkTextIter cursor;
  int cursor_offset;

  if (!self->signature_wanted || (address = dup_from_address (self)) == NULL)
    return;
  if (start != NULL)
    {
      g_autofree char *current = dup_signature_text (buffer, start, end);

      if (g_strcmp0 (current, self->signature) != 0)
        return;
    }
  account = kontor_mail_identities_ref_account (
    kontor_mail_engine_get_account_service (self->engine), address);
  text = kontor_mail_identities_dup_signature (account, address);
  block = text != NULL ? kontor_mail_signature_format (text) : g_strdup ("");
  if (start != NULL && g_str_equal (block, self->signature))
    return;

  gtk_text_buffer_get_iter_at_mark (buffer, &cursor, gtk_text_buffer_get_insert (buffer));
  cursor_offset = gtk_text_iter_get_offset (&cursor);
  self->filling = TRUE;
  if (start != NULL)
    {
      GtkTextIter from, to;

      gtk_text_buffer_get_iter_at_mark (buffer, &from, start);
      gtk_text_buffer_get_iter_at_mark (buffer, &to, end);
      gtk_text_buffer_delete (buffer, &from, &to);
      gtk_text_buffer_get_iter_at_mark (buffer, &from, start);
      place (buffer, gtk_text_iter_get_offset (&from), block);
    }
  else if (*block != '\0')
    {
      g_autofree char *body = kontor_mail_composer_dup_body (self);
      GtkTextIter body_end;

      /* A blank line between the text (or the place to type it) and the signature. */
      gtk_text_buffer_get_end_iter (buffer, &body_end);
      gtk_text_buffer_insert (buffer, &body_end,
                              *body == '\0'                     ? "\n\n"
                              : g_str_has_suffix (body, "\n\n") ? ""
                              : g_str_has_suffix (body, "\n")   ? "\n"
                                                                : "\n\n",
                              -1);
      place (buffer, gtk_text_buffer_get_char_count (buffer), block);
    }
  g_free (self->signature);
  self->signature = g_steal_pointer (&block);
  /* Where the user was typing, which is above the signature. */
  gtk_text_buffer_get_iter_at_offset (buffer, &cursor, cursor_offset);
  gtk_text_buffer_place_cursor (buffer, &cursor);
  self->filling = filling;
  kontor_mail_composer_changed (self);
}

static void
from_changed_cb (KontorMailComposer *self)
{
  update (self);
}

/**
 * kontor_mail_composer_add_signature:
 *
 * Gives a new message, reply or forward the signature of its From, now or once the
 * accounts are known; a restored draft is not given one.
 */
void
kontor_mail_composer_add_signature (KontorMailComposer *self)
{
  g_return_if_fail (KONTOR_IS_MAIL_COMPOSER (self));
  if (self->signature_wanted)
    return;
  self->signature_wanted = TRUE;
  g_signal_connect_object (self->from_dropdown, "notify::selected", G_CALLBACK (from_changed_cb),
                           self, G_CONNECT_SWAPPED);
  update (self);
}
