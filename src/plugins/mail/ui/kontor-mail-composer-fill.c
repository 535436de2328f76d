/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-composer-fill.c: the composer takes what a message starts with: a draft
 * (reply, forward, mailto:), fields (Mail1.Compose) or a draft file left on disk. The
 * program's own changes are not typing, but they are saved at once, so that what came
 * from a link or a script survives a crash too. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include "kontor-mail-composer-private.h"

static void
select_sender (KontorMailComposer *self, const char *from)
{
  g_autoptr (CamelInternetAddress) wanted = camel_internet_address_new ();
  const char *email = NULL;

  if (from == NULL)
    return;
  /* Chosen again if the accounts are read later. */
  if (from != self->wanted_from)
    {
      g_free (self->wanted_from);
      self->wanted_from = g_strdup (from);
    }
  if (self->senders == NULL)
    return;
  if (camel_address_decode (CAMEL_ADDRESS (wanted), from) <= 0 ||
      !camel_internet_address_get (wanted, 0, NULL, &email))
    email = from;
  for (guint i = 0; self->senders[i] != NULL; i++)
    {
      g_autoptr (CamelInternetAddress) sender = camel_internet_address_new ();
      const char *address = NULL;

      if (camel_address_decode (CAMEL_ADDRESS (sender), self->senders[i]) > 0 &&
          camel_internet_address_get (sender, 0, NULL, &address) &&
          g_ascii_strcasecmp (address, email) == 0)
        {
          gtk_drop_down_set_selected (self->from_dropdown, i);
          return;
        }
    }
}

static void
set_body (KontorMailComposer *self, const char *body)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->body_view);
  GtkTextIter start;

  kontor_mail_composer_set_body_text (self, body);
  gtk_text_buffer_get_start_iter (buffer, &start);
  gtk_text_buffer_place_cursor (buffer, &start);
}

static void
fill (KontorMailComposer *self,
      const char *from,
      const char *const *to,
      const char *const *cc,
      const char *const *bcc,
      const char *subject,
      const char *body,
      const char *in_reply_to,
      const char *references)
{
  self->filling = TRUE;
  select_sender (self, from);
  kontor_mail_address_entry_set_addresses (self->to_entry, to);
  kontor_mail_address_entry_set_addresses (self->cc_entry, cc);
  kontor_mail_address_entry_set_addresses (self->bcc_entry, bcc);
  gtk_toggle_button_set_active (self->cc_button, cc != NULL && cc[0] != NULL);
  gtk_toggle_button_set_active (self->bcc_button, bcc != NULL && bcc[0] != NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->subject_entry), subject != NULL ? subject : "");
  set_body (self, body);
  g_free (self->in_reply_to);
  self->in_reply_to = g_strdup (in_reply_to);
  g_free (self->references);
  self->references = g_strdup (references);
  self->filling = FALSE;
  kontor_mail_composer_update_title (self);
  /* Saved at once: what came from a link or a script survives a crash too. */
  kontor_mail_composer_schedule_save (self);
  /* Where the user goes on: the first field still empty, else the text. */
  if (to == NULL || to[0] == NULL)
    gtk_widget_grab_focus (GTK_WIDGET (kontor_mail_address_entry_get_editable (self->to_entry)));
  else
    gtk_widget_grab_focus (*gtk_editable_get_text (GTK_EDITABLE (self->subject_entry)) != '\0'
                             ? GTK_WIDGET (self->body_view)
                             : GTK_WIDGET (self->subject_entry));
}

/* The draft's recipients as a NULL-terminated array of borrowed strings (a copy of its
 * GPtrArray would also copy its free function). */
static GPtrArray *
borrow_strv (GPtrArray *strings)
{
  GPtrArray *borrowed = g_ptr_array_sized_new (strings->len + 1);

  for (guint i = 0; i < strings->len; i++)
    g_ptr_array_add (borrowed, g_ptr_array_index (strings, i));
  g_ptr_array_add (borrowed, NULL);
  return borrowed;
}

void
kontor_mail_composer_set_draft (KontorMailComposer *self, KontorMailDraft *draft)
{
  g_autoptr (GPtrArray) to = NULL;
  g_autoptr (GPtrArray) cc = NULL;
  g_autoptr (GPtrArray) bcc = NULL;

  g_return_if_fail (KONTOR_IS_MAIL_COMPOSER (self));
  to = borrow_strv (draft->to);
  cc = borrow_strv (draft->cc);
  bcc = borrow_strv (draft->bcc);
  fill (self, draft->from, (const char *const *) to->pdata, (const char *const *) cc->pdata,
        (const char *const *) bcc->pdata, draft->subject, draft->body, draft->in_reply_to,
        draft->references);
}

void
kontor_mail_composer_set_fields (KontorMailComposer *self, const KontorMailComposeFields *fields)
{
  g_return_if_fail (KONTOR_IS_MAIL_COMPOSER (self));
  fill (self, fields->from, (const char *const *) fields->to, (const char *const *) fields->cc,
        (const char *const *) fields->bcc, fields->subject, fields->body, fields->in_reply_to,
        fields->references);
  if (fields->html_body != NULL)
    kontor_mail_composer_set_body_html (self, fields->html_body,
                                        (const char *const *) fields->inline_images,
                                        (const char *const *) fields->inline_ids);
  for (guint i = 0; fields->attachments != NULL && fields->attachments[i] != NULL; i++)
    kontor_mail_composer_add_attachment (self, fields->attachments[i]);
}

/* A draft file saved before a crash or kept on close: the composer takes it over, and
 * replaces the copy in Drafts it names when it stores the message there. */
void
kontor_mail_composer_restore (KontorMailComposer *self, const char *path, GKeyFile *file)
{
  g_autoptr (KontorMailComposeFields) fields = kontor_mail_compose_fields_new ();
  g_autofree char *server_id = g_key_file_get_string (file, "Draft", "server-id", NULL);

  g_return_if_fail (KONTOR_IS_MAIL_COMPOSER (self));
  g_free (self->draft_path);
  self->draft_path = g_strdup (path);
#define STRING(key) g_key_file_get_string (file, "Draft", key, NULL)
#define LIST(key)   g_key_file_get_string_list (file, "Draft", key, NULL, NULL)
  fields->from = STRING ("from");
  fields->to = LIST ("to");
  fields->cc = LIST ("cc");
  fields->bcc = LIST ("bcc");
  fields->subject = STRING ("subject");
  fields->body = STRING ("body");
  fields->html_body = STRING ("html");
  fields->inline_images = LIST ("inline-images");
  fields->inline_ids = LIST ("inline-ids");
  fields->in_reply_to = STRING ("in-reply-to");
  fields->references = STRING ("references");
  fields->attachments = LIST ("attachments");
#undef STRING
#undef LIST
  if (server_id != NULL)
    kontor_mail_composer_set_server_id (self, server_id);
  kontor_mail_composer_set_fields (self, fields);
  /* The file may be newer than the copy on the server. */
  kontor_mail_composer_server_changed (self);
}

/* Where the draft is kept; a forward wrote its parts beside it already. */
void
kontor_mail_composer_set_draft_path (KontorMailComposer *self, const char *path)
{
  g_return_if_fail (KONTOR_IS_MAIL_COMPOSER (self));
  g_free (self->draft_path);
  self->draft_path = g_strdup (path);
}

const char *
kontor_mail_composer_get_draft_path (KontorMailComposer *self)
{
  g_return_val_if_fail (KONTOR_IS_MAIL_COMPOSER (self), NULL);
  return self->draft_path;
}

/* The From list: the user's identities as "Name <address>", the default first. A
 * composer opened before the accounts were read gets them when they are. */
void
kontor_mail_composer_set_senders (KontorMailComposer *self, const char *const *senders)
{
  g_autoptr (GtkStringList) model = gtk_string_list_new (senders);
  gboolean filling = self->filling;

  g_return_if_fail (KONTOR_IS_MAIL_COMPOSER (self));
  g_strfreev (self->senders);
  self->senders = g_strdupv ((char **) senders);
  self->filling = TRUE;
  gtk_drop_down_set_model (self->from_dropdown, G_LIST_MODEL (model));
  gtk_widget_set_sensitive (GTK_WIDGET (self->from_dropdown),
                            senders != NULL && senders[0] != NULL && senders[1] != NULL);
  if (self->wanted_from != NULL)
    select_sender (self, self->wanted_from);
  self->filling = filling;
  if (senders != NULL && senders[0] != NULL)
    kontor_mail_composer_schedule_save (self);
}

gboolean
kontor_mail_composer_has_senders (KontorMailComposer *self)
{
  g_return_val_if_fail (KONTOR_IS_MAIL_COMPOSER (self), FALSE);
  return self->senders != NULL && self->senders[0] != NULL;
}
