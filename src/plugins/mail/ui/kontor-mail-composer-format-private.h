/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-composer-format-private.h: what the composer's rich text mode, its
 * formatting bar and its editing share. */
#pragma once

#include "kontor-mail-composer-private.h"
#include "kontor-mail-rich-text.h"

G_BEGIN_DECLS

struct _KontorMailComposerFormat
{
  /* Borrowed: the composer's widgets */
  GtkToggleButton *rich_button;
  GtkRevealer *toolbar;
  GtkToggleButton *inline_buttons[3]; /* bold, italic, underline */
  GtkToggleButton *bullet_button;
  GtkToggleButton *number_button;
  GtkToggleButton *quote_button;

  gboolean rich;
  gboolean syncing;   /* the buttons follow the cursor: no change to the text */
  gboolean busy;      /* the program changes the text: no typing rules */
  gboolean typing[3]; /* what is typed next is bold, italic, underlined */

  /* The text being inserted: where it starts and what its line was. */
  int insert_offset;
  KontorMailRichTextLine insert_style;
  gboolean past_marker; /* it was typed in a list marker and goes after it */
  guint markers_id;
};

/* kontor-mail-composer-format.c */
void kontor_mail_composer_format_sync (KontorMailComposer *self);

/* kontor-mail-composer-format-bar.c */
void kontor_mail_composer_format_build (KontorMailComposer *self);

/* kontor-mail-composer-format-edit.c */
void kontor_mail_composer_format_init_editing (KontorMailComposer *self);
void kontor_mail_composer_format_dispose_editing (KontorMailComposer *self);
void kontor_mail_composer_format_ask_link (KontorMailComposer *self);
void kontor_mail_composer_format_choose_image (KontorMailComposer *self);

G_END_DECLS
