/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-composer-private.h: what the composer's window, its attachments and its
 * draft file share. */
#pragma once

#include "kontor-mail-address-entry.h"
#include "kontor-mail-composer.h"

G_BEGIN_DECLS

/* Many servers refuse messages over 25 MB; the user is warned before sending. */
#define KONTOR_MAIL_COMPOSER_MAX_SIZE (25 * 1000 * 1000)

typedef struct _KontorMailComposerFormat KontorMailComposerFormat;

typedef struct
{
  char *path;
  goffset size; /* -1 until known */
} KontorMailComposerAttachment;

typedef struct _KontorMailComposerServer KontorMailComposerServer;

struct _KontorMailComposer
{
  AdwApplicationWindow parent_instance;

  /* Template widgets */
  AdwToastOverlay *toast_overlay;
  GtkWidget *content_box;
  AdwWindowTitle *window_title;
  GtkDropDown *from_dropdown;
  KontorMailAddressEntry *to_entry;
  KontorMailAddressEntry *cc_entry;
  KontorMailAddressEntry *bcc_entry;
  GtkToggleButton *cc_button;
  GtkToggleButton *bcc_button;
  GtkEntry *subject_entry;
  GtkTextView *body_view;
  GtkRevealer *attachments_revealer;
  GtkListBox *attachments_list;

  /* Owned */
  KontorMailEngine *engine;
  KontorAddressCompletion *completion;
  GStrv senders;                    /* "Name <address>", in the From list's order */
  GPtrArray *attachments;           /* KontorMailComposerAttachment */
  KontorMailComposerFormat *format; /* rich text */
  GCancellable *cancellable;
  char *draft_path;
  char *wanted_from; /* the From asked for, chosen once the accounts are known */
  char *in_reply_to;
  char *references;
  KontorMailComposerServer *server; /* the copy in the Drafts folder */
  guint save_id;
  gboolean filling; /* changes made by the program do not count as typing */
  gboolean done;    /* sent or discarded: the window closes without asking */
  gboolean sending;
  gboolean signature_wanted; /* a new message, reply or forward, not a restored draft */
  char *signature;           /* the signature block as inserted, to tell if it was edited */
};

KontorMailComposeFields *kontor_mail_composer_dup_fields (KontorMailComposer *self);
char *kontor_mail_composer_dup_body (KontorMailComposer *self);
gboolean kontor_mail_composer_is_empty (KontorMailComposer *self);
void kontor_mail_composer_changed (KontorMailComposer *self);
void kontor_mail_composer_update_title (KontorMailComposer *self);

/* kontor-mail-composer-attachments.c */
void kontor_mail_composer_init_attachments (KontorMailComposer *self);
void kontor_mail_composer_class_init_attachments (GtkWidgetClass *widget_class);
void kontor_mail_composer_choose_files (KontorMailComposer *self);
goffset kontor_mail_composer_get_attachments_size (KontorMailComposer *self);
GStrv kontor_mail_composer_dup_attachment_paths (KontorMailComposer *self);

/* kontor-mail-composer-drafts.c */
void kontor_mail_composer_save_now (KontorMailComposer *self);
void kontor_mail_composer_schedule_save (KontorMailComposer *self);
void kontor_mail_composer_delete_draft (KontorMailComposer *self);
void kontor_mail_composer_delete_draft_file (const char *path);

/* kontor-mail-composer-format.c */
void kontor_mail_composer_init_format (KontorMailComposer *self);
void kontor_mail_composer_class_init_format (GtkWidgetClass *widget_class);
void kontor_mail_composer_dispose_format (KontorMailComposer *self);
void kontor_mail_composer_finalize_format (KontorMailComposer *self);
void kontor_mail_composer_format_fields (KontorMailComposer *self, KontorMailComposeFields *fields);
void kontor_mail_composer_set_body_text (KontorMailComposer *self, const char *text);
void kontor_mail_composer_set_body_html (KontorMailComposer *self,
                                         const char *html,
                                         const char *const *paths,
                                         const char *const *ids);

/* kontor-mail-composer-server.c */
void kontor_mail_composer_keep (KontorMailComposer *self);
void kontor_mail_composer_server_changed (KontorMailComposer *self);
void kontor_mail_composer_server_remove (KontorMailComposer *self);
gboolean kontor_mail_composer_server_is_current (KontorMailComposer *self);
void kontor_mail_composer_server_dispose (KontorMailComposer *self);

/* kontor-mail-composer-paste.c */
void kontor_mail_composer_init_paste (KontorMailComposer *self);

G_END_DECLS
