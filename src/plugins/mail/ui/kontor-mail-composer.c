/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-composer.c: the composer window. Send checks what users forget (an
 * attachment the text mentions, attachments too big for most servers), queues the
 * message in the Outbox in a worker thread and closes; anything that goes wrong is
 * shown here and nothing typed is lost. Closing a message with content asks whether
 * to keep it as a draft. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "kontor-mail-compose.h"
#include "kontor-mail-composer-private.h"
#include "kontor-mail-outbox.h"
#include "kontor-mail-undo-send.h"

G_DEFINE_FINAL_TYPE (KontorMailComposer, kontor_mail_composer, ADW_TYPE_APPLICATION_WINDOW)

enum
{
  QUEUED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Words that say something is attached, as users of English, German and French write
 * them; quoted lines ("> ") do not count. */
static const char *const attachment_words[] = {
  "attach", "anhang", "angehängt", "pièce jointe", "ci-joint", NULL,
};

void
kontor_mail_composer_toast (KontorMailComposer *self, const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (escaped));
}

char *
kontor_mail_composer_dup_body (KontorMailComposer *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->body_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

KontorMailComposeFields *
kontor_mail_composer_dup_fields (KontorMailComposer *self)
{
  KontorMailComposeFields *fields = kontor_mail_compose_fields_new ();
  guint from = gtk_drop_down_get_selected (self->from_dropdown);

  if (self->senders != NULL && from < g_strv_length (self->senders))
    {
      g_autoptr (CamelInternetAddress) address = camel_internet_address_new ();
      const char *email = NULL;

      if (camel_address_decode (CAMEL_ADDRESS (address), self->senders[from]) > 0 &&
          camel_internet_address_get (address, 0, NULL, &email))
        fields->from = g_strdup (email);
    }
  fields->to = kontor_mail_address_entry_dup_addresses (self->to_entry);
  fields->cc = kontor_mail_address_entry_dup_addresses (self->cc_entry);
  fields->bcc = kontor_mail_address_entry_dup_addresses (self->bcc_entry);
  fields->subject = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->subject_entry)));
  fields->body = kontor_mail_composer_dup_body (self);
  fields->attachments = kontor_mail_composer_dup_attachment_paths (self);
  fields->in_reply_to = g_strdup (self->in_reply_to);
  fields->references = g_strdup (self->references);
  kontor_mail_composer_format_fields (self, fields);
  return fields;
}

gboolean
kontor_mail_composer_is_empty (KontorMailComposer *self)
{
  g_autoptr (KontorMailComposeFields) fields = kontor_mail_composer_dup_fields (self);

  return fields->to[0] == NULL && fields->cc[0] == NULL && fields->bcc[0] == NULL &&
         *fields->subject == '\0' && *g_strstrip (fields->body) == '\0' &&
         self->attachments->len == 0;
}

void
kontor_mail_composer_update_title (KontorMailComposer *self)
{
  const char *subject = gtk_editable_get_text (GTK_EDITABLE (self->subject_entry));
  const char *title = *subject != '\0' ? subject : _ ("New Message");

  gtk_window_set_title (GTK_WINDOW (self), title);
  adw_window_title_set_title (self->window_title, title);
}

void
kontor_mail_composer_changed (KontorMailComposer *self)
{
  kontor_mail_composer_update_title (self);
  if (!self->filling)
    {
      kontor_mail_composer_schedule_save (self);
      kontor_mail_composer_server_changed (self);
    }
}

/* Sending ---------------------------------------------------------------------------- */

/* Each recipient on its own, for the recent recipients. */
static GStrv
dup_recipients (const KontorMailComposeFields *fields)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  const GStrv lists[] = { fields->to, fields->cc, fields->bcc };

  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    for (guint i = 0; lists[l] != NULL && lists[l][i] != NULL; i++)
      {
        g_autoptr (CamelInternetAddress) parsed = camel_internet_address_new ();
        int n = camel_address_decode (CAMEL_ADDRESS (parsed), lists[l][i]);

        for (int j = 0; j < n; j++)
          {
            const char *name = NULL, *email = NULL;

            if (camel_internet_address_get (parsed, j, &name, &email))
              {
                g_autofree char *formatted = camel_internet_address_format_address (name, email);

                g_strv_builder_add (builder, formatted);
              }
          }
      }
  return g_strv_builder_end (builder);
}

static void
queued_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (KontorMailComposer) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *id = kontor_mail_engine_run_finish (KONTOR_MAIL_ENGINE (object), result, &error);
  g_autoptr (KontorMailComposeFields) fields = NULL;
  g_auto (GStrv) recipients = NULL;

  self->sending = FALSE;
  gtk_widget_set_sensitive (self->content_box, TRUE);
  if (id == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        kontor_mail_composer_toast (self, error->message);
      return;
    }
  fields = kontor_mail_composer_dup_fields (self);
  recipients = dup_recipients (fields);
  if (self->completion != NULL)
    kontor_address_completion_note_used (self->completion, (const char *const *) recipients);
  kontor_mail_composer_delete_draft (self);
  kontor_mail_composer_server_remove (self);
  self->done = TRUE;
  g_signal_emit (self, signals[QUEUED], 0, id);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
queue (KontorMailComposer *self)
{
  KontorMailComposeFields *fields = kontor_mail_composer_dup_fields (self);

  self->sending = TRUE;
  gtk_widget_set_sensitive (self->content_box, FALSE);
  /* Held in the Outbox for the undo-send delay. */
  kontor_mail_engine_run_async (self->engine, kontor_mail_undo_send_job_run,
                                kontor_mail_undo_send_job_new (fields),
                                (GDestroyNotify) kontor_mail_undo_send_job_free, g_free,
                                self->cancellable, queued_cb, g_object_ref (self));
}

static gboolean
mentions_attachment (const char *body)
{
  g_auto (GStrv) lines = g_strsplit (body, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *folded = NULL;

      if (lines[i][0] == '>')
        continue;
      folded = g_utf8_casefold (lines[i], -1);
      for (guint w = 0; attachment_words[w] != NULL; w++)
        if (strstr (folded, attachment_words[w]) != NULL)
          return TRUE;
    }
  return FALSE;
}

static void send_checked (KontorMailComposer *self, guint from_check);

static void
warning_response_cb (AdwMessageDialog *dialog, const char *response, gpointer user_data)
{
  KontorMailComposer *self = user_data;
  guint check = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (dialog), "check"));

  if (g_str_equal (response, "send"))
    send_checked (self, check + 1);
}

static void
warn (KontorMailComposer *self, guint check, const char *heading, const char *body)
{
  AdwMessageDialog *dialog =
    ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading, body));

  adw_message_dialog_add_responses (dialog, "cancel", _ ("_Cancel"), "send", _ ("_Send Anyway"),
                                    NULL);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data (G_OBJECT (dialog), "check", GUINT_TO_POINTER (check));
  g_signal_connect (dialog, "response", G_CALLBACK (warning_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The checks in order; a warning the user answered with "Send Anyway" continues with
 * the next one. */
static void
send_checked (KontorMailComposer *self, guint from_check)
{
  g_autofree char *body = kontor_mail_composer_dup_body (self);
  goffset size = kontor_mail_composer_get_attachments_size (self);

  if (from_check <= 0 && self->attachments->len == 0 && mentions_attachment (body))
    {
      warn (self, 0, _ ("Send Without Attachment?"),
            _ ("The message mentions an attachment, but no file is attached."));
      return;
    }
  if (from_check <= 1 && size > KONTOR_MAIL_COMPOSER_MAX_SIZE)
    {
      g_autofree char *total = g_format_size (size);
      g_autofree char *text = g_strdup_printf (
        _ ("The attachments add up to %s. Many mail servers refuse messages larger than 25 MB."),
        total);

      warn (self, 1, _ ("Send Large Attachments?"), text);
      return;
    }
  queue (self);
}

static void
send_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  KontorMailComposer *self = KONTOR_MAIL_COMPOSER (widget);
  g_autoptr (KontorMailComposeFields) fields = NULL;

  if (self->sending)
    return;
  fields = kontor_mail_composer_dup_fields (self);
  if (fields->to[0] == NULL && fields->cc[0] == NULL && fields->bcc[0] == NULL)
    {
      kontor_mail_composer_toast (self, _ ("Add a recipient first"));
      gtk_widget_grab_focus (GTK_WIDGET (kontor_mail_address_entry_get_editable (self->to_entry)));
      return;
    }
  send_checked (self, 0);
}

static void
attach_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  kontor_mail_composer_choose_files (KONTOR_MAIL_COMPOSER (widget));
}

/* Closing ------------------------------------------------------------------------------ */

static void
close_response_cb (AdwMessageDialog *dialog, const char *response, KontorMailComposer *self)
{
  if (g_str_equal (response, "cancel"))
    return;
  if (g_str_equal (response, "keep"))
    kontor_mail_composer_keep (self);
  else
    {
      kontor_mail_composer_delete_draft (self);
      kontor_mail_composer_server_remove (self);
    }
  self->done = TRUE;
  /* The dialog outlives this window by a moment: it must not point back to it. */
  gtk_window_set_transient_for (GTK_WINDOW (dialog), NULL);
  gtk_window_destroy (GTK_WINDOW (self));
}

static gboolean
kontor_mail_composer_close_request (GtkWindow *window)
{
  KontorMailComposer *self = KONTOR_MAIL_COMPOSER (window);
  AdwMessageDialog *dialog;

  if (self->done || self->sending)
    return self->sending;
  /* Empty, or opened from Drafts and left as it is: nothing to ask. */
  if (kontor_mail_composer_is_empty (self) || kontor_mail_composer_server_is_current (self))
    {
      kontor_mail_composer_delete_draft (self);
      return FALSE;
    }
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (
    window, _ ("Keep This Message as a Draft?"),
    kontor_mail_composer_get_server_id (self) != NULL
      ? _ ("The draft in the Drafts folder of your account is replaced with this message, or "
           "deleted if you discard it.")
      : _ ("A kept draft is stored in the Drafts folder of your account, or on this computer "
           "until that is possible.")));
  adw_message_dialog_add_responses (dialog, "cancel", _ ("_Cancel"), "discard", _ ("_Discard"),
                                    "keep", _ ("_Keep as Draft"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (dialog, "keep", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "keep");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (close_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

/* The type ------------------------------------------------------------------------------ */

static void
kontor_mail_composer_dispose (GObject *object)
{
  KontorMailComposer *self = KONTOR_MAIL_COMPOSER (object);

  /* A pending save is written now: the window may go with the application. */
  if (self->save_id != 0 && !self->done)
    kontor_mail_composer_save_now (self);
  g_clear_handle_id (&self->save_id, g_source_remove);
  kontor_mail_composer_server_dispose (self);
  g_cancellable_cancel (self->cancellable);
  kontor_mail_composer_dispose_format (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), KONTOR_TYPE_MAIL_COMPOSER);
  g_clear_object (&self->engine);
  g_clear_object (&self->completion);

  G_OBJECT_CLASS (kontor_mail_composer_parent_class)->dispose (object);
}

static void
kontor_mail_composer_finalize (GObject *object)
{
  KontorMailComposer *self = KONTOR_MAIL_COMPOSER (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->senders, g_strfreev);
  g_clear_pointer (&self->attachments, g_ptr_array_unref);
  kontor_mail_composer_finalize_format (self);
  g_free (self->draft_path);
  g_free (self->wanted_from);
  g_free (self->in_reply_to);
  g_free (self->references);
  g_free (self->signature);

  G_OBJECT_CLASS (kontor_mail_composer_parent_class)->finalize (object);
}

static void
kontor_mail_composer_class_init (KontorMailComposerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = kontor_mail_composer_dispose;
  object_class->finalize = kontor_mail_composer_finalize;
  window_class->close_request = kontor_mail_composer_close_request;

  /**
   * KontorMailComposer::queued:
   * @id: the Outbox entry
   *
   * The message is in the Outbox; the window closes next.
   */
  signals[QUEUED] = g_signal_new ("queued", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                  NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (KONTOR_TYPE_MAIL_ADDRESS_ENTRY);
  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/kontor/Kontor/mail/kontor-mail-composer.ui");
  gtk_widget_class_bind_template_child (widget_class, KontorMailComposer, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, KontorMailComposer, content_box);
  gtk_widget_class_bind_template_child (widget_class, KontorMailComposer, window_title);
  gtk_widget_class_bind_template_child (widget_class, KontorMailComposer, from_dropdown);
  gtk_widget_class_bind_template_child (widget_class, KontorMailComposer, to_entry);
  gtk_widget_class_bind_template_child (widget_class, KontorMailComposer, cc_entry);
  gtk_widget_class_bind_template_child (widget_class, KontorMailComposer, bcc_entry);
  gtk_widget_class_bind_template_child (widget_class, KontorMailComposer, cc_button);
  gtk_widget_class_bind_template_child (widget_class, KontorMailComposer, bcc_button);
  gtk_widget_class_bind_template_child (widget_class, KontorMailComposer, subject_entry);
  gtk_widget_class_bind_template_child (widget_class, KontorMailComposer, body_view);
  gtk_widget_class_bind_template_child (widget_class, KontorMailComposer, attachments_revealer);
  gtk_widget_class_bind_template_child (widget_class, KontorMailComposer, attachments_list);

  gtk_widget_class_install_action (widget_class, "composer.send", NULL, send_action);
  gtk_widget_class_install_action (widget_class, "composer.attach", NULL, attach_action);
  kontor_mail_composer_class_init_attachments (widget_class);
  kontor_mail_composer_class_init_format (widget_class);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
kontor_mail_composer_init (KontorMailComposer *self)
{
  g_autofree char *dir = kontor_mail_composer_dup_drafts_dir ();
  g_autofree char *uuid = g_uuid_string_random ();

  GtkEventController *shortcuts = gtk_shortcut_controller_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  /* Ctrl+Return before the text view, which would take it as a new line. */
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (
    GTK_SHORTCUT_CONTROLLER (shortcuts),
    gtk_shortcut_new (
      gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_Return, GDK_CONTROL_MASK),
                                   gtk_keyval_trigger_new (GDK_KEY_KP_Enter, GDK_CONTROL_MASK)),
      gtk_named_action_new ("composer.send")));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);
  self->cancellable = g_cancellable_new ();
  self->draft_path = g_build_filename (dir, uuid, NULL);
  kontor_mail_composer_init_attachments (self);
  kontor_mail_composer_init_format (self);
  kontor_mail_composer_init_paste (self);
  g_signal_connect_swapped (kontor_mail_address_entry_get_editable (self->to_entry), "changed",
                            G_CALLBACK (kontor_mail_composer_changed), self);
  g_signal_connect_swapped (kontor_mail_address_entry_get_editable (self->cc_entry), "changed",
                            G_CALLBACK (kontor_mail_composer_changed), self);
  g_signal_connect_swapped (kontor_mail_address_entry_get_editable (self->bcc_entry), "changed",
                            G_CALLBACK (kontor_mail_composer_changed), self);
  g_signal_connect_swapped (self->subject_entry, "changed",
                            G_CALLBACK (kontor_mail_composer_changed), self);
  g_signal_connect_swapped (gtk_text_view_get_buffer (self->body_view), "changed",
                            G_CALLBACK (kontor_mail_composer_changed), self);
  g_signal_connect_swapped (self->from_dropdown, "notify::selected",
                            G_CALLBACK (kontor_mail_composer_changed), self);
  gtk_widget_grab_focus (GTK_WIDGET (kontor_mail_address_entry_get_editable (self->to_entry)));
}

/* @senders: the user's identities as "Name <address>", the default first. */
KontorMailComposer *
kontor_mail_composer_new (GtkApplication *application,
                          KontorMailEngine *engine,
                          KontorAddressCompletion *completion,
                          const char *const *senders)
{
  KontorMailComposer *self;

  g_return_val_if_fail (KONTOR_IS_MAIL_ENGINE (engine), NULL);

  self = g_object_new (KONTOR_TYPE_MAIL_COMPOSER, "application", application, NULL);
  self->engine = g_object_ref (engine);
  self->completion = completion != NULL ? g_object_ref (completion) : NULL;
  kontor_mail_composer_set_senders (self, senders);
  kontor_mail_address_entry_set_completion (self->to_entry, completion);
  kontor_mail_address_entry_set_completion (self->cc_entry, completion);
  kontor_mail_address_entry_set_completion (self->bcc_entry, completion);
  return self;
}
